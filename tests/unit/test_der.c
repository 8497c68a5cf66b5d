/* test_der.c - the bounded DER TLV reader (src/core/input/der.c): short
 * and long lengths, truncation, BER forms it refuses, non-minimal lengths,
 * lengths near 2^64, high tag numbers and the child iterator */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "input/der.h"

#define BUF(s) (const unsigned char *)(s), sizeof(s) - 1

struct read_row {
	const char *what;
	const unsigned char *p;
	size_t avail;
	int want_rc;
	unsigned want_tag;
	size_t want_hdr, want_len;
	uint64_t want_total;
	unsigned want_len_octets;
	bool want_nonminimal;
};

/* 200 bytes of contents for the long forms below */
#define X10 "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
#define X50 X10 X10 X10 X10 X10
#define X200 X50 X50 X50 X50

static const struct read_row read_rows[] = {
	/* short form */
	{"short form", BUF("\x02\x01\x05"), CS_DER_OK, 0x02, 2, 1, 3, 0,
	 false},
	{"empty contents", BUF("\x05\x00"), CS_DER_OK, 0x05, 2, 0, 2, 0,
	 false},
	{"127, the longest short form", BUF("\x04\x7f" X50 X50 X10 X10
					     "\x01\x01\x01\x01\x01\x01\x01"),
	 CS_DER_OK, 0x04, 2, 127, 129, 0, false},
	/* trailing bytes after the TLV are the caller's business */
	{"trailing bytes", BUF("\x02\x01\x05\xff\xff"), CS_DER_OK, 0x02, 2, 1,
	 3, 0, false},
	/* long form, minimal */
	{"long form, 1 octet", BUF("\x30\x81\xc8" X200), CS_DER_OK, 0x30, 3,
	 200, 203, 1, false},
	{"long form, 2 octets", BUF("\x30\x82\x01\x00" X200 X50
				    "\x01\x01\x01\x01\x01\x01"),
	 CS_DER_OK, 0x30, 4, 256, 260, 2, false},
	/* truncated header */
	{"no bytes", BUF(""), CS_DER_BAD, 0, 0, 0, 0, 0, false},
	{"tag only", BUF("\x30"), CS_DER_BAD, 0, 0, 0, 0, 0, false},
	{"length octets cut", BUF("\x30\x82\x01"), CS_DER_BAD, 0, 0, 0, 0, 0,
	 false},
	/* length past the buffer: the claim is still reported */
	{"contents cut, short form", BUF("\x30\x05\x01\x02"),
	 CS_DER_TRUNCATED, 0x30, 2, 0, 7, 0, false},
	{"contents cut, long form", BUF("\x30\x82\x01\x00\x30\x00"),
	 CS_DER_TRUNCATED, 0x30, 4, 0, 260, 2, false},
	{"2 GiB", BUF("\x30\x84\x7f\xff\xff\xff\x30\x82\x01\x00"),
	 CS_DER_TRUNCATED, 0x30, 6, 0, 2147483653u, 4, false},
	/* indefinite length (BER, X.690 8.1.3.6) */
	{"indefinite", BUF("\x30\x80\x02\x01\x05\x00\x00"), CS_DER_INDEFINITE,
	 0x30, 2, 0, 0, 0, false},
	/* non-minimal lengths are read and flagged */
	{"long form below 128", BUF("\x04\x81\x03\x01\x02\x03"), CS_DER_OK,
	 0x04, 3, 3, 6, 1, true},
	{"leading zero octet", BUF("\x04\x82\x00\x03\x01\x02\x03"), CS_DER_OK,
	 0x04, 4, 3, 7, 2, true},
	{"leading zero octet, 200", BUF("\x30\x82\x00\xc8" X200), CS_DER_OK,
	 0x30, 4, 200, 204, 2, true},
	{"8 length octets", BUF("\x30\x88\x00\x00\x00\x00\x00\x00\x00\x02"
				"\x05\x00"),
	 CS_DER_OK, 0x30, 10, 2, 12, 8, true},
	{"9 length octets", BUF("\x30\x89\x00\x00\x00\x00\x00\x00\x00\x00\x02"
				"\x05\x00"),
	 CS_DER_BAD, 0, 0, 0, 0, 0, false},
	/* huge lengths neither wrap nor overflow */
	{"2^64 - 1", BUF("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff\x30\x00"),
	 CS_DER_TRUNCATED, 0x30, 10, 0, UINT64_MAX, 8, false},
	{"total exactly 2^64 - 1",
	 BUF("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xf5\x30\x00"),
	 CS_DER_TRUNCATED, 0x30, 10, 0, UINT64_MAX, 8, false},
	{"total one below saturating",
	 BUF("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xf4\x30\x00"),
	 CS_DER_TRUNCATED, 0x30, 10, 0, UINT64_MAX - 1, 8, false},
	{"2^63", BUF("\x04\x88\x80\x00\x00\x00\x00\x00\x00\x00"),
	 CS_DER_TRUNCATED, 0x04, 10, 0, (UINT64_C(1) << 63) + 10, 8, false},
	/* high tag numbers (X.690 8.1.2.4) are refused */
	{"high tag, universal", BUF("\x1f\x81\x01\x00"), CS_DER_BAD, 0, 0, 0,
	 0, 0, false},
	{"high tag, context constructed", BUF("\xbf\x20\x00"), CS_DER_BAD, 0,
	 0, 0, 0, 0, false},
	{"tag 30, the highest low tag", BUF("\x9e\x01\x00"), CS_DER_OK, 0x9e,
	 2, 1, 3, 0, false},
};

static void test_der_read_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(read_rows) / sizeof(read_rows[0]); i++) {
		const struct read_row *r = &read_rows[i];
		struct cs_tlv t;
		int rc;

		print_message("# %s\n", r->what);
		memset(&t, 0xa5, sizeof(t));
		rc = cs_der_read(r->p, r->avail, &t);
		assert_int_equal(rc, r->want_rc);
		if (rc == CS_DER_BAD)
			continue;
		assert_int_equal(t.tag, r->want_tag);
		assert_int_equal(t.hdr, r->want_hdr);
		if (rc == CS_DER_INDEFINITE)
			continue;
		assert_true(t.total == r->want_total);
		assert_int_equal(t.len_octets, r->want_len_octets);
		assert_int_equal(t.nonminimal, r->want_nonminimal);
		if (rc == CS_DER_OK) {
			assert_int_equal(t.len, r->want_len);
			assert_ptr_equal(t.val, r->p + r->want_hdr);
			assert_true(t.total <= r->avail);
		} else {
			assert_int_equal(t.len, 0);
			assert_null(t.val);
			assert_true(t.total > r->avail);
		}
	}
}

/* The reader looks only at the bytes it is given: a header that would
 * fit in the full buffer but not in AVAIL is refused. */
static void test_der_read_stays_within_avail(void **state)
{
	static const unsigned char p[] = "\x30\x82\x00\x02\x05\x00";
	struct cs_tlv t;

	(void)state;
	assert_int_equal(cs_der_read(p, 6, &t), CS_DER_OK);
	for (size_t avail = 0; avail < 4; avail++)
		assert_int_equal(cs_der_read(p, avail, &t), CS_DER_BAD);
	for (size_t avail = 4; avail < 6; avail++) {
		assert_int_equal(cs_der_read(p, avail, &t), CS_DER_TRUNCATED);
		assert_true(t.total == 6);
	}
}

/* SEQUENCE { INTEGER 5, OCTET STRING "ab", NULL } */
static const unsigned char seq3[] = {
	0x30, 0x09, 0x02, 0x01, 0x05, 0x04, 0x02, 'a', 'b', 0x05, 0x00,
};

static void test_der_child_walks_contents(void **state)
{
	static const unsigned want_tag[] = {0x02, 0x04, 0x05};
	static const size_t want_pos[] = {3, 7, 9};
	struct cs_tlv seq, t;
	size_t pos = 0, n = 0;

	(void)state;
	assert_int_equal(cs_der_read(seq3, sizeof(seq3), &seq), CS_DER_OK);
	while (cs_der_child(seq.val, seq.len, &pos, &t)) {
		assert_true(n < 3);
		assert_int_equal(t.tag, want_tag[n]);
		assert_int_equal(pos, want_pos[n]);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(pos, seq.len);
	/* at the end it stays at the end */
	assert_false(cs_der_child(seq.val, seq.len, &pos, &t));
	assert_int_equal(pos, seq.len);
	/* no contents, no children */
	pos = 0;
	assert_false(cs_der_child(NULL, 0, &pos, &t));
}

static void test_der_child_stops_at_bad_child(void **state)
{
	/* the second child claims 5 bytes where 2 are left in the parent;
	 * the bytes after the parent do not count */
	static const unsigned char p[] = {
		0x30, 0x05, 0x02, 0x01, 0x05, 0x04, 0x05, 0x01, 0x02, 0x03,
	};
	/* an indefinite-length child */
	static const unsigned char q[] = {0x30, 0x04, 0x30, 0x80, 0x00, 0x00};
	struct cs_tlv seq, t;
	size_t pos = 0;

	(void)state;
	assert_int_equal(cs_der_read(p, sizeof(p), &seq), CS_DER_OK);
	assert_true(cs_der_child(seq.val, seq.len, &pos, &t));
	assert_int_equal(pos, 3);
	assert_false(cs_der_child(seq.val, seq.len, &pos, &t));
	assert_int_equal(pos, 3); /* unchanged */

	pos = 0;
	assert_int_equal(cs_der_read(q, sizeof(q), &seq), CS_DER_OK);
	assert_false(cs_der_child(seq.val, seq.len, &pos, &t));
	assert_int_equal(pos, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_der_read_table),
		cmocka_unit_test(test_der_read_stays_within_avail),
		cmocka_unit_test(test_der_child_walks_contents),
		cmocka_unit_test(test_der_child_stops_at_bad_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
