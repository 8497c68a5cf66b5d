/* test_nc.c - name constraints read from the DER (src/core/x509/nc.c):
 * the extension's form (cs_nc_malformed) and directoryName subtrees
 * (cs_nc_dn_violation), on encodings built here byte by byte: lengths in
 * every form, truncation, unknown tags and the limits on what is read.
 *
 * The certificates are never signed: both functions only read the
 * extensions GnuTLS holds for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "x509/nc.h"

#define OID_NC  "2.5.29.30"
#define OID_SAN "2.5.29.17"

/* ---- building DER ---------------------------------------------------- */

#define BUF_MAX 4096

struct buf {
	unsigned char b[BUF_MAX];
	size_t n;
};

static struct buf raw(const void *p, size_t n)
{
	struct buf r;

	assert_true(n <= sizeof(r.b));
	memcpy(r.b, p, n);
	r.n = n;
	return r;
}

#define RAW(s) raw(s, sizeof(s) - 1)
#define STR(s) raw(s, strlen(s))
#define NONE raw("", 0)

/* count bufs, one after another */
static struct buf cat(int count, ...)
{
	struct buf r = {.n = 0};
	va_list ap;

	va_start(ap, count);
	for (int i = 0; i < count; i++) {
		struct buf x = va_arg(ap, struct buf);

		assert_true(r.n + x.n <= sizeof(r.b));
		memcpy(r.b + r.n, x.b, x.n);
		r.n += x.n;
	}
	va_end(ap);
	return r;
}

/* tag, the length octets given (a non-minimal or false length), v */
static struct buf tlv_len(unsigned char tag, struct buf len, struct buf v)
{
	return cat(3, raw(&tag, 1), len, v);
}

/* tag, the shortest length of v, v */
static struct buf tlv(unsigned char tag, struct buf v)
{
	unsigned char l[3];
	size_t ln;

	if (v.n < 0x80) {
		l[0] = (unsigned char)v.n;
		ln = 1;
	} else if (v.n < 0x100) {
		l[0] = 0x81;
		l[1] = (unsigned char)v.n;
		ln = 2;
	} else {
		l[0] = 0x82;
		l[1] = (unsigned char)(v.n >> 8);
		l[2] = (unsigned char)v.n;
		ln = 3;
	}
	return tlv_len(tag, raw(l, ln), v);
}

#define SEQ(...) tlv(0x30, cat(__VA_ARGS__))
#define PERMITTED(...) tlv(0xa0, cat(__VA_ARGS__))
#define EXCLUDED(...) tlv(0xa1, cat(__VA_ARGS__))
#define SUBTREE(base) tlv(0x30, base)
#define GN_EMAIL(s) tlv(0x81, STR(s))
#define GN_DNS(s) tlv(0x82, STR(s))
#define GN_URI(s) tlv(0x86, STR(s))
#define GN_IP(s) tlv(0x87, RAW(s))
#define GN_DIR(name) tlv(0xa4, name)

/* AttributeTypeAndValue: an attribute type and a value of tag */
#define OID_CN "\x06\x03\x55\x04\x03"
#define OID_O  "\x06\x03\x55\x04\x0a"
#define AVA(oid, tag, s) SEQ(2, RAW(oid), tlv(tag, STR(s)))
#define UTF8 0x0c
#define PRINTABLE 0x13
#define IA5 0x16
#define BMP 0x1e
#define RDN(...) tlv(0x31, cat(__VA_ARGS__))
#define NAME(...) SEQ(__VA_ARGS__)
#define CN(s) RDN(1, AVA(OID_CN, UTF8, s))
#define O(s) RDN(1, AVA(OID_O, UTF8, s))

/* A certificate holding the extension oid with value v (v.n == 0: none). */
static gnutls_x509_crt_t crt_with(const char *oid, struct buf v)
{
	gnutls_x509_crt_t crt;

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	if (v.n > 0)
		assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt, oid,
				 v.b, v.n, 1), 0);
	return crt;
}

static void want_str(const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want != NULL && got != NULL && strcmp(want, got) == 0)
		return;
	fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(NULL)",
		 want ? want : "(NULL)");
}

/* ---- cs_nc_malformed -------------------------------------------------- */

#define NOT_GS "a subtree that is not a GeneralSubtree"
#define NO_SUBTREES "no subtrees"
#define BAD_LIST "an empty or unknown list of subtrees"
#define MIN_MAX "a subtree with a minimum or maximum"
#define BAD_DNS "a DNS subtree that is not a host name (a leading period " \
		"or a wildcard)"
#define BAD_IP "an IP subtree that is not an address and a CIDR mask"
#define BAD_EMAIL "an e-mail subtree with more than one '@'"

static void check_form(const char *what, struct buf nc, const char *want)
{
	gnutls_x509_crt_t crt = crt_with(OID_NC, nc);

	want_str(what, cs_nc_malformed(crt), want);
	gnutls_x509_crt_deinit(crt);
}

#define FORM(what, nc, want) check_form(what, nc, want)
/* one permitted subtree with this base */
#define ONE(base) SEQ(1, PERMITTED(1, SUBTREE(base)))

static void test_form_outer(void **state)
{
	(void)state;
	FORM("absent", NONE, NULL);
	FORM("well formed", ONE(GN_DNS("example.test")), NULL);
	FORM("both lists", SEQ(2, PERMITTED(1, SUBTREE(GN_DNS("a.test"))),
			       EXCLUDED(1, SUBTREE(GN_DNS("b.a.test")))),
	     NULL);
	FORM("empty SEQUENCE", RAW("\x30\x00"), NO_SUBTREES);
	FORM("a SET", tlv(0x31, PERMITTED(1, SUBTREE(GN_DNS("a.test")))),
	     NO_SUBTREES);
	FORM("one byte", RAW("\x30"), NO_SUBTREES);
	FORM("contents cut", RAW("\x30\x05\xa0\x03\x30"), NO_SUBTREES);
	FORM("indefinite length",
	     RAW("\x30\x80\xa0\x04\x30\x02\x82\x00\x00\x00"), NO_SUBTREES);
	FORM("9 length octets", RAW("\x30\x89\x00\x00\x00\x00\x00\x00\x00"
				    "\x00\x06\xa0\x04\x30\x02\x82\x00"),
	     NO_SUBTREES);
	/* a long form that is not the shortest is read all the same */
	FORM("non-minimal length",
	     tlv_len(0x30, RAW("\x81\x06"), PERMITTED(1, SUBTREE(GN_DNS("")))),
	     NULL);
	FORM("8 length octets",
	     tlv_len(0x30, RAW("\x88\x00\x00\x00\x00\x00\x00\x00\x06"),
		     PERMITTED(1, SUBTREE(GN_DNS("")))),
	     NULL);
	/* trailing bytes after the SEQUENCE are not looked at */
	FORM("trailing bytes", cat(2, ONE(GN_DNS("a.test")), RAW("\xff")),
	     NULL);
}

static void test_form_lists(void **state)
{
	(void)state;
	FORM("empty permitted", SEQ(1, PERMITTED(0)), BAD_LIST);
	FORM("empty excluded", SEQ(2, PERMITTED(1, SUBTREE(GN_DNS("a.test"))),
				   EXCLUDED(0)),
	     BAD_LIST);
	FORM("[2]", SEQ(1, tlv(0xa2, SUBTREE(GN_DNS("a.test")))), BAD_LIST);
	FORM("primitive [0]", SEQ(1, tlv(0x80, SUBTREE(GN_DNS("a.test")))),
	     BAD_LIST);
	FORM("list cut", RAW("\x30\x03\xa0\x05\x30"), BAD_LIST);
	FORM("a lone byte after the list",
	     SEQ(2, PERMITTED(1, SUBTREE(GN_DNS("a.test"))), RAW("\x00")),
	     BAD_LIST);
	FORM("list with indefinite length",
	     SEQ(1, RAW("\xa0\x80\x30\x02\x82\x00\x00\x00")), BAD_LIST);
}

static void test_form_subtrees(void **state)
{
	(void)state;
	FORM("subtree cut", SEQ(1, PERMITTED(1, RAW("\x30\x05\x82\x00"))),
	     NOT_GS);
	FORM("subtree a SET", SEQ(1, PERMITTED(1, tlv(0x31, GN_DNS("a")))),
	     NOT_GS);
	FORM("subtree empty", SEQ(1, PERMITTED(1, RAW("\x30\x00"))), NOT_GS);
	FORM("base cut", SEQ(1, PERMITTED(1, RAW("\x30\x02\x82\x05"))),
	     NOT_GS);
	FORM("base one byte", SEQ(1, PERMITTED(1, RAW("\x30\x01\x82"))),
	     NOT_GS);
	FORM("base indefinite", SEQ(1, PERMITTED(1, RAW("\x30\x04\x82\x80"
							"\x00\x00"))),
	     NOT_GS);
	FORM("minimum", ONE(cat(2, GN_DNS("a.test"), RAW("\x80\x01\x01"))),
	     MIN_MAX);
	FORM("maximum", ONE(cat(2, GN_DNS("a.test"), RAW("\x81\x01\x05"))),
	     MIN_MAX);
	FORM("a stray byte after the base",
	     ONE(cat(2, GN_DNS("a.test"), RAW("\x00"))), MIN_MAX);
	FORM("non-minimal base length",
	     ONE(tlv_len(0x82, RAW("\x81\x06"), STR("a.test"))), NULL);
	FORM("second subtree bad",
	     SEQ(1, PERMITTED(2, SUBTREE(GN_DNS("a.test")),
			      SUBTREE(GN_DNS(".b.test")))),
	     BAD_DNS);
	FORM("excluded subtree bad",
	     SEQ(2, PERMITTED(1, SUBTREE(GN_DNS("a.test"))),
		 EXCLUDED(1, SUBTREE(GN_IP("\x0a\x00\x00\x01")))),
	     BAD_IP);
	/* the first fault is the one reported */
	FORM("two faults", SEQ(1, PERMITTED(2, SUBTREE(GN_DNS("*.a.test")),
					    SUBTREE(GN_EMAIL("a@b@c")))),
	     BAD_DNS);
	FORM("URI base", ONE(GN_URI(".anything*")), NULL);
	FORM("directoryName base", ONE(GN_DIR(NAME(1, CN("x")))), NULL);
	FORM("empty directoryName base", ONE(RAW("\xa4\x00")), NULL);
}

static void test_form_dns(void **state)
{
	(void)state;
	FORM("empty: every name", ONE(GN_DNS("")), NULL);
	FORM("one label", ONE(GN_DNS("test")), NULL);
	FORM("underscore", ONE(GN_DNS("_srv.a-b.test")), NULL);
	FORM("digits and case", ONE(GN_DNS("Host1.EXAMPLE.test")), NULL);
	FORM("trailing dot", ONE(GN_DNS("a.test.")), NULL);
	FORM("leading dot", ONE(GN_DNS(".a.test")), BAD_DNS);
	FORM("lone dot", ONE(GN_DNS(".")), BAD_DNS);
	FORM("empty label", ONE(GN_DNS("a..test")), BAD_DNS);
	FORM("two trailing dots", ONE(GN_DNS("a.test..")), BAD_DNS);
	FORM("wildcard", ONE(GN_DNS("*.a.test")), BAD_DNS);
	FORM("star", ONE(GN_DNS("*")), BAD_DNS);
	FORM("space", ONE(GN_DNS("a b.test")), BAD_DNS);
	FORM("NUL", ONE(tlv(0x82, RAW("a\0.test"))), BAD_DNS);
	FORM("8-bit", ONE(GN_DNS("\xc3\xa9.test")), BAD_DNS);
	FORM("at", ONE(GN_DNS("a@b.test")), BAD_DNS);
}

static void test_form_ip_email(void **state)
{
	(void)state;
	FORM("v4 /24", ONE(GN_IP("\xc0\x00\x02\x00\xff\xff\xff\x00")), NULL);
	FORM("v4 /0", ONE(GN_IP("\x00\x00\x00\x00\x00\x00\x00\x00")), NULL);
	FORM("v4 /32", ONE(GN_IP("\x0a\x00\x00\x01\xff\xff\xff\xff")), NULL);
	FORM("v4 /23", ONE(GN_IP("\x0a\x00\x00\x00\xff\xff\xfe\x00")), NULL);
	FORM("v4 /25", ONE(GN_IP("\x0a\x00\x00\x00\xff\xff\xff\x80")), NULL);
	FORM("v4 without mask", ONE(GN_IP("\x0a\x00\x00\x01")), BAD_IP);
	FORM("v4 mask with a hole",
	     ONE(GN_IP("\x0a\x00\x00\x00\xff\x00\xff\x00")), BAD_IP);
	FORM("v4 mask bits apart",
	     ONE(GN_IP("\x0a\x00\x00\x00\xff\xff\xfd\x00")), BAD_IP);
	FORM("v4 mask ones after zeros",
	     ONE(GN_IP("\x0a\x00\x00\x00\x00\x00\x00\x01")), BAD_IP);
	FORM("v6 /64", ONE(GN_IP("\x20\x01\x0d\xb8\x00\x00\x00\x00"
				 "\x00\x00\x00\x00\x00\x00\x00\x00"
				 "\xff\xff\xff\xff\xff\xff\xff\xff"
				 "\x00\x00\x00\x00\x00\x00\x00\x00")),
	     NULL);
	FORM("v6 without mask", ONE(GN_IP("\x20\x01\x0d\xb8\x00\x00\x00\x00"
					  "\x00\x00\x00\x00\x00\x00\x00\x01")),
	     BAD_IP);
	FORM("empty IP", ONE(RAW("\x87\x00")), BAD_IP);
	FORM("mailbox", ONE(GN_EMAIL("a@example.test")), NULL);
	FORM("host", ONE(GN_EMAIL("example.test")), NULL);
	FORM("domain", ONE(GN_EMAIL(".example.test")), NULL);
	FORM("empty e-mail", ONE(GN_EMAIL("")), NULL);
	FORM("two at", ONE(GN_EMAIL("a@b@example.test")), BAD_EMAIL);
	FORM("two at together", ONE(GN_EMAIL("@@")), BAD_EMAIL);
}

/* ---- cs_nc_dn_violation ------------------------------------------------ */

#define SUBJ_OUT "its subject is not within any permitted directoryName " \
		 "subtree"
#define SUBJ_EXCL "its subject is in an excluded directoryName subtree"
#define SAN_OUT "a directoryName SAN is not within any permitted " \
		"directoryName subtree"
#define SAN_EXCL "a directoryName SAN is in an excluded directoryName " \
		 "subtree"
#define TOO_MANY "too many directoryName subtrees or names to check"

static void check_dn(const char *what, struct buf nc, struct buf san,
		     struct buf subject, const char *want)
{
	gnutls_x509_crt_t ca = crt_with(OID_NC, nc);
	gnutls_x509_crt_t leaf = crt_with(OID_SAN, san);
	gnutls_datum_t subj = {subject.b, (unsigned)subject.n};

	want_str(what, cs_nc_dn_violation(ca, leaf, &subj), want);
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crt_deinit(leaf);
}

#define DN(what, nc, san, subject, want) check_dn(what, nc, san, subject, want)
/* name constraints of one permitted or excluded directoryName subtree */
#define PERMIT(name) SEQ(1, PERMITTED(1, SUBTREE(GN_DIR(name))))
#define EXCLUDE(name) SEQ(1, EXCLUDED(1, SUBTREE(GN_DIR(name))))
#define SAN(...) SEQ(__VA_ARGS__)

static void test_dn_prefix(void **state)
{
	(void)state;
	DN("no constraints", NONE, NONE, NAME(1, CN("x")), NULL);
	DN("no directoryName constraint",
	   SEQ(1, PERMITTED(1, SUBTREE(GN_DNS("a.test")))), NONE,
	   NAME(1, CN("x")), NULL);
	DN("the same name", PERMIT(NAME(1, CN("x"))), NONE, NAME(1, CN("x")),
	   NULL);
	DN("a prefix", PERMIT(NAME(1, O("Org"))), NONE,
	   NAME(2, O("Org"), CN("x")), NULL);
	DN("another prefix", PERMIT(NAME(1, O("Org"))), NONE,
	   NAME(2, O("Other"), CN("x")), SUBJ_OUT);
	DN("a suffix is not a prefix", PERMIT(NAME(1, O("Org"))), NONE,
	   NAME(2, CN("x"), O("Org")), SUBJ_OUT);
	DN("longer than the name", PERMIT(NAME(2, O("Org"), CN("x"))), NONE,
	   NAME(1, O("Org")), SUBJ_OUT);
	DN("empty subtree: every name", PERMIT(NAME(0)), NONE,
	   NAME(1, CN("x")), NULL);
	DN("empty subtree excluded", EXCLUDE(NAME(0)), NONE,
	   NAME(1, CN("x")), SUBJ_EXCL);
	DN("excluded", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(2, O("Org"), CN("x")), SUBJ_EXCL);
	DN("excluded, not matching", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(2, O("Other"), CN("x")), NULL);
	DN("excluded wins",
	   SEQ(2, PERMITTED(1, SUBTREE(GN_DIR(NAME(1, O("Org"))))),
	       EXCLUDED(1, SUBTREE(GN_DIR(NAME(2, O("Org"), CN("x")))))),
	   NONE, NAME(2, O("Org"), CN("x")), SUBJ_EXCL);
	DN("second permitted subtree",
	   SEQ(1, PERMITTED(2, SUBTREE(GN_DIR(NAME(1, O("A")))),
			    SUBTREE(GN_DIR(NAME(1, O("B")))))),
	   NONE, NAME(2, O("B"), CN("x")), NULL);
	/* an empty subject (30 00) is no name; nor is a shorter one */
	DN("empty subject", PERMIT(NAME(1, O("Org"))), NONE, RAW("\x30\x00"),
	   NULL);
	DN("no subject", PERMIT(NAME(1, O("Org"))), NONE, NONE, NULL);
}

static void test_dn_compare(void **state)
{
	(void)state;
	DN("letter case", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, O("oRG")), SUBJ_EXCL);
	DN("letter case, PrintableString and UTF8String",
	   EXCLUDE(NAME(1, RDN(1, AVA(OID_O, PRINTABLE, "ORG")))), NONE,
	   NAME(1, RDN(1, AVA(OID_O, UTF8, "org"))), SUBJ_EXCL);
	DN("letter case, IA5String",
	   EXCLUDE(NAME(1, RDN(1, AVA(OID_O, IA5, "ORG")))), NONE,
	   NAME(1, RDN(1, AVA(OID_O, IA5, "org"))), SUBJ_EXCL);
	DN("BMPString: exact", EXCLUDE(NAME(1, RDN(1, AVA(OID_O, BMP, "ORG")))),
	   NONE, NAME(1, RDN(1, AVA(OID_O, BMP, "org"))), NULL);
	DN("BMPString: equal", EXCLUDE(NAME(1, RDN(1, AVA(OID_O, BMP, "OR")))),
	   NONE, NAME(1, RDN(1, AVA(OID_O, BMP, "OR"))), SUBJ_EXCL);
	DN("BMPString against UTF8String",
	   EXCLUDE(NAME(1, RDN(1, AVA(OID_O, BMP, "OR")))), NONE,
	   NAME(1, RDN(1, AVA(OID_O, UTF8, "OR"))), NULL);
	DN("another attribute", EXCLUDE(NAME(1, O("x"))), NONE,
	   NAME(1, CN("x")), NULL);
	DN("8-bit letters are exact", EXCLUDE(NAME(1, O("\xc3\x89"))), NONE,
	   NAME(1, O("\xc3\xa9")), NULL);
	DN("another length", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, O("Orga")), NULL);
	DN("multi-valued RDN against one AVA",
	   EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(2, AVA(OID_O, UTF8, "Org"), AVA(OID_CN, UTF8, "x"))),
	   NULL);
	DN("multi-valued RDNs equal",
	   EXCLUDE(NAME(1, RDN(2, AVA(OID_O, UTF8, "Org"),
				AVA(OID_CN, UTF8, "x")))), NONE,
	   NAME(1, RDN(2, AVA(OID_O, UTF8, "ORG"), AVA(OID_CN, UTF8, "X"))),
	   SUBJ_EXCL);
	/* a length in a longer form than needed: the contents count */
	DN("non-minimal value length", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(2, RAW(OID_O),
			      tlv_len(UTF8, RAW("\x81\x03"), STR("Org"))))),
	   SUBJ_EXCL);
	DN("non-minimal name length",
	   EXCLUDE(tlv_len(0x30, RAW("\x82\x00\x0e"), O("Org"))), NONE,
	   NAME(1, O("Org")), SUBJ_EXCL);
	/* bytes after the value inside an AVA are not looked at */
	DN("stray byte after the value", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(3, RAW(OID_O), tlv(UTF8, STR("Org")),
			      RAW("\x00")))),
	   SUBJ_EXCL);
}

static void test_dn_unreadable(void **state)
{
	(void)state;
	/* what cannot be read matches nothing */
	DN("value indefinite", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(2, RAW(OID_O), RAW("\x0c\x80Org\x00\x00")))),
	   NULL);
	DN("value cut", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(2, RAW(OID_O), RAW("\x0c\x05Org")))), NULL);
	DN("no value", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(1, RAW(OID_O)))), NULL);
	DN("value 9 length octets", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, SEQ(2, RAW(OID_O),
			      RAW("\x0c\x89\x00\x00\x00\x00\x00\x00\x00\x00"
				  "\x03Org")))),
	   NULL);
	DN("AVA a SET", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(1, tlv(0x31, cat(2, RAW(OID_O),
					tlv(UTF8, STR("Org")))))),
	   NULL);
	DN("RDN a SEQUENCE", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, SEQ(1, AVA(OID_O, UTF8, "Org"))), NULL);
	DN("stray byte in the RDN", EXCLUDE(NAME(1, O("Org"))), NONE,
	   NAME(1, RDN(2, AVA(OID_O, UTF8, "Org"), RAW("\x00"))), NULL);
	DN("subject a SET", EXCLUDE(NAME(1, O("Org"))), NONE,
	   tlv(0x31, O("Org")), NULL);
	DN("subject cut", EXCLUDE(NAME(1, O("Org"))), NONE,
	   RAW("\x30\x10\x31\x0c\x30\x0a"), NULL);
	DN("subject cut, permitted", PERMIT(NAME(1, O("Org"))), NONE,
	   RAW("\x30\x10\x31\x0c\x30\x0a"), SUBJ_OUT);
	DN("RDN cut", PERMIT(NAME(1, O("Org"))), NONE,
	   RAW("\x30\x04\x31\x0c\x30\x0a"), SUBJ_OUT);
	DN("subject indefinite", EXCLUDE(NAME(1, O("Org"))), NONE,
	   cat(3, RAW("\x30\x80"), O("Org"), RAW("\x00\x00")), NULL);
	/* an unreadable subtree still counts as one */
	DN("permitted subtree cut", PERMIT(RAW("\x30\x10\x31\x0c")), NONE,
	   NAME(1, O("Org")), SUBJ_OUT);
	DN("permitted subtree indefinite",
	   PERMIT(cat(3, RAW("\x30\x80"), O("Org"), RAW("\x00\x00"))), NONE,
	   NAME(1, O("Org")), SUBJ_OUT);
	DN("permitted subtree empty [4]", PERMIT(NONE), NONE,
	   NAME(1, O("Org")), SUBJ_OUT);
	DN("bytes after the subtree's name",
	   PERMIT(cat(2, NAME(1, O("Org")), RAW("\x05\x00"))), NONE,
	   NAME(1, O("Org")), NULL);
}

static void test_dn_walk(void **state)
{
	(void)state;
	/* the lists and subtrees that cannot be read are skipped */
	DN("no SEQUENCE", tlv(0x31, PERMITTED(1, SUBTREE(GN_DIR(NAME(1,
	   O("A")))))), NONE, NAME(1, O("B")), NULL);
	DN("NC indefinite",
	   cat(3, RAW("\x30\x80"),
	       PERMITTED(1, SUBTREE(GN_DIR(NAME(1, O("A"))))),
	       RAW("\x00\x00")),
	   NONE, NAME(1, O("B")), NULL);
	DN("[2] list", SEQ(1, tlv(0xa2, SUBTREE(GN_DIR(NAME(1, O("A")))))),
	   NONE, NAME(1, O("B")), NULL);
	DN("list cut after a subtree",
	   SEQ(2, PERMITTED(1, SUBTREE(GN_DIR(NAME(1, O("A"))))),
	       RAW("\xa1\x20\x30")), NONE, NAME(1, O("B")), SUBJ_OUT);
	DN("subtree cut after a subtree",
	   SEQ(1, PERMITTED(2, SUBTREE(GN_DIR(NAME(1, O("A")))),
			    RAW("\x30\x20\xa4"))), NONE, NAME(1, O("B")),
	   SUBJ_OUT);
	DN("subtree with a DNS base, then a directoryName",
	   SEQ(1, PERMITTED(2, SUBTREE(GN_DNS("a.test")),
			    SUBTREE(GN_DIR(NAME(1, O("A")))))),
	   NONE, NAME(1, O("B")), SUBJ_OUT);
	DN("a subtree with an empty SEQUENCE, then a directoryName",
	   SEQ(1, PERMITTED(2, RAW("\x30\x00"), SUBTREE(GN_DIR(NAME(1,
	       O("A")))))), NONE, NAME(1, O("A")), NULL);
	DN("base cut, then a directoryName",
	   SEQ(1, PERMITTED(2, RAW("\x30\x02\xa4\x10"), SUBTREE(GN_DIR(NAME(1,
	       O("A")))))), NONE, NAME(1, O("B")), SUBJ_OUT);
	DN("directoryName primitive", SEQ(1, PERMITTED(1, SUBTREE(
	   tlv(0x84, NAME(1, O("A")))))), NONE, NAME(1, O("B")), NULL);
	DN("a minimum after the base",
	   SEQ(1, PERMITTED(1, SUBTREE(cat(2, GN_DIR(NAME(1, O("A"))),
					   RAW("\x80\x01\x01"))))),
	   NONE, NAME(1, O("B")), SUBJ_OUT);
}

static void test_dn_san(void **state)
{
	(void)state;
	DN("SAN inside", PERMIT(NAME(1, O("A"))),
	   SAN(2, GN_DNS("a.test"), GN_DIR(NAME(2, O("A"), CN("x")))),
	   RAW("\x30\x00"), NULL);
	DN("SAN outside", PERMIT(NAME(1, O("A"))),
	   SAN(1, GN_DIR(NAME(1, O("B")))), RAW("\x30\x00"), SAN_OUT);
	DN("SAN excluded", EXCLUDE(NAME(1, O("A"))),
	   SAN(1, GN_DIR(NAME(1, O("A")))), NAME(1, O("B")), SAN_EXCL);
	DN("subject outside before the SAN", PERMIT(NAME(1, O("A"))),
	   SAN(1, GN_DIR(NAME(1, O("A")))), NAME(1, O("B")), SUBJ_OUT);
	DN("second SAN outside", PERMIT(NAME(1, O("A"))),
	   SAN(2, GN_DIR(NAME(1, O("A"))), GN_DIR(NAME(1, O("B")))),
	   NAME(1, O("A")), SAN_OUT);
	DN("SAN a SET", PERMIT(NAME(1, O("A"))),
	   tlv(0x31, GN_DIR(NAME(1, O("B")))), NAME(1, O("A")), NULL);
	DN("SAN indefinite", PERMIT(NAME(1, O("A"))),
	   cat(3, RAW("\x30\x80"), GN_DIR(NAME(1, O("B"))), RAW("\x00\x00")),
	   NAME(1, O("A")), NULL);
	/* the walk stops at a name it cannot read */
	DN("SAN cut after a name", PERMIT(NAME(1, O("A"))),
	   SAN(2, GN_DIR(NAME(1, O("A"))), RAW("\xa4\x20\x30")),
	   NAME(1, O("A")), NULL);
	DN("SAN cut before a name", PERMIT(NAME(1, O("A"))),
	   SAN(2, RAW("\x82\x20\x30"), GN_DIR(NAME(1, O("B")))),
	   NAME(1, O("A")), NULL);
	DN("SAN name with a non-minimal length", PERMIT(NAME(1, O("A"))),
	   SAN(1, tlv_len(0xa4, RAW("\x81\x0c"), NAME(1, O("B")))),
	   NAME(1, O("A")), SAN_OUT);
	DN("SAN empty directoryName", PERMIT(NAME(1, O("A"))),
	   SAN(1, RAW("\xa4\x00")), NAME(1, O("A")), SAN_OUT);
}

/* MAX_DN_SUBTREES and MAX_SAN_DIRNAMES in nc.c: 64 each */
#define LIMIT 64

static void test_dn_limits(void **state)
{
	struct buf trees = {.n = 0}, others = {.n = 0}, names = {.n = 0};
	struct buf one = SUBTREE(GN_DIR(NAME(1, O("A"))));
	struct buf other = SUBTREE(GN_DIR(NAME(1, O("B"))));
	struct buf gn = GN_DIR(NAME(1, O("A")));

	(void)state;
	for (int i = 0; i < LIMIT - 1; i++) {
		trees = cat(2, trees, one);
		others = cat(2, others, other);
		names = cat(2, names, gn);
	}
	DN("63 subtrees", SEQ(1, PERMITTED(1, trees)), NONE, NAME(1, O("A")),
	   NULL);
	DN("64 subtrees", SEQ(1, PERMITTED(2, trees, one)), NONE,
	   NAME(1, O("A")), NULL);
	DN("65 subtrees", SEQ(1, PERMITTED(3, trees, one, one)), NONE,
	   NAME(1, O("A")), TOO_MANY);
	DN("65 excluded subtrees", SEQ(1, EXCLUDED(3, trees, one, one)), NONE,
	   NAME(1, O("B")), TOO_MANY);
	DN("64 and 64", SEQ(2, PERMITTED(2, trees, one),
			    EXCLUDED(2, others, other)),
	   NONE, NAME(1, O("A")), NULL);
	/* the subject and 63 SAN directoryNames are 64 names */
	DN("subject and 63 names", PERMIT(NAME(1, O("A"))), SAN(1, names),
	   NAME(1, O("A")), NULL);
	DN("subject and 64 names", PERMIT(NAME(1, O("A"))), SAN(2, names, gn),
	   NAME(1, O("A")), TOO_MANY);
	DN("64 names, empty subject", PERMIT(NAME(1, O("A"))),
	   SAN(2, names, gn), RAW("\x30\x00"), NULL);
	DN("65 names, empty subject", PERMIT(NAME(1, O("A"))),
	   SAN(3, names, gn, gn), RAW("\x30\x00"), TOO_MANY);
	/* the other names in the SAN do not count */
	DN("63 names among DNS names", PERMIT(NAME(1, O("A"))),
	   SAN(3, names, GN_DNS("a.test"), GN_DNS("b.test")),
	   NAME(1, O("A")), NULL);
}

/* High tag numbers (X.690 8.1.2.4): input/der.h does not read them.
 * An AttributeValue is an ANY, so GnuTLS takes one in a subject; such a
 * value is compared as an encoding, to the end of its AVA. */
#define HIGH_TAG(s) raw("\x1f\x1f" s, sizeof(s) + 1)
#define HIGH_AVA(v) RDN(1, SEQ(2, RAW(OID_O), v))

static void test_dn_high_tag(void **state)
{
	struct buf v = HIGH_TAG("\x21hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh");

	(void)state;
	DN("encoded alike", EXCLUDE(NAME(1, HIGH_AVA(v))), NONE,
	   NAME(2, HIGH_AVA(v), CN("x")), SUBJ_EXCL);
	DN("encoded alike, permitted", PERMIT(NAME(1, HIGH_AVA(v))), NONE,
	   NAME(2, HIGH_AVA(v), CN("x")), NULL);
	DN("encoded alike, short", EXCLUDE(NAME(1, HIGH_AVA(HIGH_TAG("\x01h")))),
	   NONE, NAME(1, HIGH_AVA(HIGH_TAG("\x01h"))), SUBJ_EXCL);
	DN("the last octet differs",
	   EXCLUDE(NAME(1, HIGH_AVA(v))), NONE,
	   NAME(1, HIGH_AVA(HIGH_TAG("\x21hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhH"))),
	   NULL);
	DN("one octet longer", EXCLUDE(NAME(1, HIGH_AVA(v))), NONE,
	   NAME(1, HIGH_AVA(cat(2, v, RAW("h")))), NULL);
	DN("against a UTF8String", EXCLUDE(NAME(1, HIGH_AVA(v))), NONE,
	   NAME(1, O("hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh")), NULL);
	DN("a UTF8String against it", EXCLUDE(NAME(1, O("h"))), NONE,
	   NAME(1, HIGH_AVA(v)), NULL);
	/* elsewhere a high tag number is as unreadable as a cut TLV */
	FORM("GeneralName base", ONE(RAW("\xbf\x01\x00")), NOT_GS);
	FORM("GeneralName base, primitive", ONE(RAW("\x9f\x21\x00")),
	     NOT_GS);
	/* (GnuTLS refuses such a SAN when it imports the certificate) */
	DN("SAN GeneralName stops the walk", PERMIT(NAME(1, O("A"))),
	   SAN(2, RAW("\xbf\x02\x00\x00"), GN_DIR(NAME(1, O("B")))),
	   NAME(1, O("A")), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_outer),
		cmocka_unit_test(test_form_lists),
		cmocka_unit_test(test_form_subtrees),
		cmocka_unit_test(test_form_dns),
		cmocka_unit_test(test_form_ip_email),
		cmocka_unit_test(test_dn_prefix),
		cmocka_unit_test(test_dn_compare),
		cmocka_unit_test(test_dn_unreadable),
		cmocka_unit_test(test_dn_walk),
		cmocka_unit_test(test_dn_san),
		cmocka_unit_test(test_dn_limits),
		cmocka_unit_test(test_dn_high_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
