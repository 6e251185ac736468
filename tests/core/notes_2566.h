/* What the instrument notes (instruments.md) say of the 2566 file, written out by hand for the
 * tests that check the file against them (test_instrument.c) and score it (test_scoring_agency.c):
 * the reverse-scored fields, whose best answer is the bottom level — i9, i10, i11(2), i16, i17,
 * i18(1-3), i19, i22 (L4-), i4, i5, i6 (YN-, มี = 0); EIT: e4. */
#ifndef ITA_TEST_NOTES_2566_H
#define ITA_TEST_NOTES_2566_H

static const char *const notes_2566_negative[] = {
    "i4.1",  "i4.2",  "i4.3",  "i5.1",  "i5.2",  "i5.3",  "i6.1",  "i6.2",
    "i6.3",  "i9.1",  "i10.1", "i11.2", "i16.1", "i17.1", "i18.1", "i18.2",
    "i18.3", "i19.1", "i22.1", "e4.1",  "e4.2",  "e4.3",  NULL};

#endif
