/* The seed report's fixed texts, shared by the HTML report and the O42 document. */
#ifndef ITA_RESULTS_TEXT_H
#define ITA_RESULTS_TEXT_H

#include "scoring.h"

/* The standard description of indicator k + 1. */
extern const char *const results_indicator_description_th[ITA_N_INDICATORS];
/* "ประเด็นจุดอ่อนที่ต้องดำเนินการแก้ไขอย่างเร่งด่วน (คะแนนน้อยกว่าร้อยละ 90.00)" and the other two. */
const char *results_class_heading_th(enum ita_class c);

#endif
