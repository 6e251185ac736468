/* The HTML of the agency pages (agency_view.c): pure functions writing the page body (after
 * admin_page_begin's frame) into a strbuf. */
#ifndef ITA_ADMIN_AGENCY_VIEW_H
#define ITA_ADMIN_AGENCY_VIEW_H

#include "app/list_view.h"
#include "strbuf.h"

#include <libpq-fe.h>
#include <stdbool.h>

#define AGENCY_PAGE_ROWS 50 /* agencies per page of the list */

/* What /admin/agencies shows besides the rows (strings request arena or static). */
struct agency_list_view {
    bool system;         /* the viewer is a system administrator: forms, filters, every agency */
    const char *csrf;    /* the session's CSRF token */
    const char *q;       /* the search as typed ("" none) */
    const char *kind;    /* the type filter as in the URL: a type's key, "none", "other" or "" */
    const char *parent;  /* the parent filter: a code, "-" (none) or "" */
    const char *error;   /* why a parameter was refused (Thai), or NULL */
    struct list_view lv; /* URL state: filters, sort, page, total */
};

/* /admin/agencies: for system administrators the forms to add and import agencies, the search and
 * filter form, "พบ 8,300 หน่วยงาน", the sortable table of the sql_admin_agencies rows (parent
 * linked, an old type not in the list marked) in a labelled scrollable region, the numbered pager
 * and the link to the all-agency results CSV of each loaded year. */
void agency_view_list(struct strbuf *p, const struct agency_list_view *v, const PGresult *agencies);

/* The Thai text of a stored type: the name itself, "" for none, or the old value followed by
 * "(ไม่อยู่ในรายการ — โปรดเลือกใหม่)" (escaped into p). */
void agency_view_kind(struct strbuf *p, const char *kind);

/* One agency as sql_admin_agency found it (request arena or the result's). */
struct agency_info {
    const char *id;
    const char *code, *name, *kind, *parent_code; /* "" when unset */
    const char *parent_name, *parent_id;          /* "" without a parent */
    const char *years;                            /* loaded fiscal years, "2567,2566" or "" */
};

/* Where one fiscal year's work stands (sql_agency_checklist; strings in the request arena). */
struct agency_checklist {
    int fy;                                      /* 0: no year to show */
    bool has_version;                            /* the year's instrument is published */
    bool year_set;                               /* the window and populations are saved */
    const char *opens_on;                        /* YYYY-MM-DD (Thailand), "" when not set */
    const char *last_day;                        /* the last day answers are taken */
    const char *window;                          /* "", "before", "open", "closed" */
    long days_to_close;                          /* from today to the day after the last day */
    long days_to_open;                           /* from today to the opening day */
    bool staff_known;                            /* the staff population is given */
    long iit_contacts, iit_issued, eit_contacts; /* list sizes; personal links issued */
    long public_links;                           /* live public links (IIT and EIT: 2) */
    long oit_marked, oit_items;                  /* OIT items marked of those in the instrument */
    long measures;                               /* draft improvement measures */
};

/* /admin/agency: the agency, the checklist of the chosen year (list->fy; its sub-menu and the
 * other years), the edit form (code and parent only for system administrators) and the
 * sql_admin_agency_links rows; base: the respondents' address. */
void agency_view_page(struct strbuf *p, const struct agency_info *a, bool system, const char *csrf,
                      const char *base, const PGresult *links, const struct agency_checklist *list);

#endif
