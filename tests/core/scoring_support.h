/* What the scoring tests share (test_scoring.c, test_scoring_agency.c): exact comparisons,
 * two-decimal display, defined and undefined values. */
#ifndef ITA_TEST_SCORING_SUPPORT_H
#define ITA_TEST_SCORING_SUPPORT_H

#include <math.h>

#include "scoring.h"

#define TOL 1e-12

static inline void assert_close(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL)) {
        print_error("%s: got %.17g, want %.17g\n", what, got, want);
        fail();
    }
}

static inline void assert_2dp(double v, const char *want)
{
    char buf[ITA_FMT_SIZE];
    assert_string_equal(ita_format_2dp(v, buf), want);
}

static inline struct ita_value def(double v)
{
    struct ita_value x = {v, true};
    return x;
}

static const struct ita_value undef = {0.0, false};

/* The seed report (Nakhon Pathom city municipality, fiscal year 2565), indicators 1-10. */
static inline void seed_indicators(struct ita_value ind[ITA_N_INDICATORS])
{
    static const double seed[ITA_N_INDICATORS] = {94.56, 88.13, 90.81, 88.09,  90.53,
                                                  96.03, 96.20, 94.74, 100.00, 100.00};
    for (int i = 0; i < ITA_N_INDICATORS; i++)
        ind[i] = def(seed[i]);
}

#endif
