/* The minimum sample an agency must reach per instrument, as a function of the population it is
 * drawn from (IIT: staff with at least one year of service; EIT: outside stakeholders). NACC does
 * not publish its formula; the rule is part of each fiscal year's instrument file ("sample_rule",
 * instruments/README.md) and defaults to the rules other programmes publish
 * (../shared/ita/instruments.md): IIT at least 25 (everyone when fewer); EIT 10 % and at least 30
 * (everyone when fewer), 400 when the population is above 4,000. */
#ifndef ITA_SAMPLE_RULE_H
#define ITA_SAMPLE_RULE_H

#include <stddef.h>

struct ita_sample_rule {
    int minimum;      /* at least this many; everyone when the population is smaller */
    int percent_bp;   /* share of the population, in hundredths of a percent (1000 = 10 %) */
    int large_above;  /* 0: no cap; a population above this needs large_sample */
    int large_sample; /* the sample for a population above large_above */
};

/* The default rule of instrument 0 (IIT) or 1 (EIT). */
struct ita_sample_rule ita_sample_rule_default(int instrument);

/* The minimum sample for a population (>= 0); a negative population (not entered yet) gives the
 * rule's minimum. Never more than the population. */
long ita_min_sample(const struct ita_sample_rule *r, long population);

/* Reads an instrument file's "sample_rule" object ({"IIT": {...}, "EIT": {...}}, each with
 * "minimum", optional "percent" (0-100, two decimals at most), optional "large_above" together
 * with "large_sample") into rules[0] (IIT) and rules[1] (EIT). NULL, or an absent instrument,
 * gives the defaults. Returns 0, or -1 with err set to every problem found, in Thai, one line
 * each; a problem of one instrument's rule starts with "IIT: " or "EIT: " (lines that do not fit
 * in errlen are left out). */
struct json_t;
int ita_sample_rules_parse(const struct json_t *obj, struct ita_sample_rule rules[2], char *err,
                           size_t errlen);
/* The same from JSON text (NULL or "" gives the defaults). */
int ita_sample_rules_parse_text(const char *text, struct ita_sample_rule rules[2], char *err,
                                size_t errlen);

#endif
