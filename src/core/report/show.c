/*
 * show.c - `show` as text for people, and PEM for conversion (the JSON
 * form is in show_json.c); see show.h.  Also what both forms share
 * (show_int.h): time arithmetic, SAN type and key usage names, the
 * fields of a CRL.
 *
 * Every string that came from a certificate passes through cs_escape()
 * (escape.h): controls, bidi overrides and invalid UTF-8 become visible
 * escapes.
 *
 * Does not: build JSON (show_json.c), decide anything about the
 * certificate (the colours only mark dates already past or near).
 */
#include "report/show_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "escape.h"
#include "oid.h"
#include "report/verify.h"
#include "x509/names.h"

#define R_SECS_PER_HOUR 3600
#define R_SOON_DAYS 30      /* "expires soon": yellow */
#define R_LABEL_WIDTH 13    /* "  subject      " label column */
#define R_PEM_LINE 64       /* RFC 7468 section 2: 64 characters */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"

/* ---- small helpers --------------------------------------------------- */

static char *esc(const char *s, size_t len)
{
	return cs_escape(s ? s : "", s ? len : 0, CS_ESC_TEXT);
}

static char *esc0(const char *s)
{
	return esc(s, s ? strlen(s) : 0);
}

/* "2027-12-31 00:00:00 UTC" */
static void human_time(cs_time_t t, char *out, size_t outsz)
{
	char buf[R_TIME_MAX];

	if (t == CS_TIME_NONE) {
		snprintf(out, outsz, "(none)");
		return;
	}
	cs_time_format(t, buf, sizeof(buf));
	if (strlen(buf) == 20 && buf[10] == 'T' && buf[19] == 'Z') {
		buf[10] = ' ';
		buf[19] = '\0';
		snprintf(out, outsz, "%s UTC", buf);
	} else {
		snprintf(out, outsz, "%s", buf);
	}
}

/* see show_int.h */
int64_t cs_show_time_diff(cs_time_t t, cs_time_t now)
{
	int64_t d;

	if (__builtin_sub_overflow(t, now, &d))
		return t > now ? INT64_MAX : INT64_MIN + 1;
	return d == INT64_MIN ? INT64_MIN + 1 : d;
}

static void amount(int64_t secs, char *out, size_t outsz)
{
	int64_t a = secs < 0 ? -secs : secs;

	if (a >= 2 * (int64_t)R_SECS_PER_DAY)
		snprintf(out, outsz, "%lld days",
			 (long long)(a / R_SECS_PER_DAY));
	else if (a >= R_SECS_PER_DAY)
		snprintf(out, outsz, "1 day");
	else if (a >= 2 * R_SECS_PER_HOUR)
		snprintf(out, outsz, "%lld hours",
			 (long long)(a / R_SECS_PER_HOUR));
	else if (a >= R_SECS_PER_HOUR)
		snprintf(out, outsz, "1 hour");
	else if (a >= 120)
		snprintf(out, outsz, "%lld minutes", (long long)(a / 60));
	else if (a == 1)
		snprintf(out, outsz, "1 second");
	else
		snprintf(out, outsz, "%lld seconds", (long long)a);
}

/* see show.h */
void cs_report_relative(cs_time_t t, cs_time_t now, bool is_end, char *out,
			size_t outsz)
{
	char a[48];

	if (outsz == 0)
		return;
	if (t == CS_TIME_NONE) {
		snprintf(out, outsz, "no date");
		return;
	}
	amount(cs_show_time_diff(t, now), a, sizeof(a));
	if (is_end) {
		if (t > now)
			snprintf(out, outsz, "expires in %s", a);
		else if (t == now)
			snprintf(out, outsz, "expires now");
		else
			snprintf(out, outsz, "expired %s ago", a);
	} else {
		if (t > now)
			snprintf(out, outsz, "not yet valid, starts in %s", a);
		else
			snprintf(out, outsz, "started %s ago", a);
	}
}

/* see show_int.h */
const char *cs_show_san_type_name(enum cs_san_type t)
{
	switch (t) {
	case CS_SAN_DNS: return "DNS";
	case CS_SAN_IP: return "IP";
	case CS_SAN_EMAIL: return "email";
	case CS_SAN_URI: return "URI";
	case CS_SAN_DN: return "DirName";
	case CS_SAN_OTHER: break;
	}
	return "other";
}

/* see show_int.h */
const struct cs_show_ku cs_show_ku_names[] = {
	{GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature"},
	{GNUTLS_KEY_NON_REPUDIATION, "nonRepudiation"},
	{GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment"},
	{GNUTLS_KEY_DATA_ENCIPHERMENT, "dataEncipherment"},
	{GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement"},
	{GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign"},
	{GNUTLS_KEY_CRL_SIGN, "cRLSign"},
	{GNUTLS_KEY_ENCIPHER_ONLY, "encipherOnly"},
	{GNUTLS_KEY_DECIPHER_ONLY, "decipherOnly"},
};
const size_t cs_show_n_ku_names =
	sizeof(cs_show_ku_names) / sizeof(*cs_show_ku_names);

static void key_text(const struct cs_cert_model *m, char *out, size_t sz)
{
	if (!m->key_alg[0])
		snprintf(out, sz, "unknown");
	else if (m->key_curve[0])
		snprintf(out, sz, "%s %s", m->key_alg, m->key_curve);
	else if (m->key_bits)
		snprintf(out, sz, "%s %u bits", m->key_alg, m->key_bits);
	else
		snprintf(out, sz, "%s", m->key_alg);
}

/* A self-issued certificate that names no other key as its signer
 * (RFC 5280 4.2.1.1: no authorityKeyIdentifier, or the same identifier
 * as its subjectKeyIdentifier) presents itself as a root. */
static bool own_key(const struct cs_cert_model *m)
{
	return m->aki_hex[0] == '\0' || strcmp(m->aki_hex, m->ski_hex) == 0;
}

/* "root CA (self-signed)" only when the signature was checked (a model
 * from cs_model_from_crt); without the check (show's own model) what the
 * names and key identifiers tell: "root CA (self-issued)". */
static void type_text(const struct cs_cert_model *m, char *out, size_t sz)
{
	const char *what;

	if (m->self_sig_checked && m->is_ca)
		what = m->self_signed ? "root CA (self-signed)" :
		       m->self_issued ? "CA (self-issued)" : "CA";
	else if (m->self_sig_checked)
		what = m->self_signed ? "leaf (self-signed)" : "leaf";
	else if (m->is_ca)
		what = !m->self_issued ? "CA" :
		       own_key(m) ? "root CA (self-issued)" :
		       "CA (self-issued)";
	else
		what = m->self_issued ? "leaf (self-issued)" : "leaf";
	if (m->is_ca && m->path_len >= 0)
		snprintf(out, sz, "%s, path length %d", what, m->path_len);
	else
		snprintf(out, sz, "%s", what);
}

/* see show.h */
int cs_report_cert_model(struct cs_cert_model *m, const struct cs_item *item,
			 const struct cs_report_opts *o, bool json,
			 struct cs_error *err)
{
	unsigned parts = CS_MODEL_FROM_DER |
			 (json || o->long_view ? CS_MODEL_DETAILS : 0);
	gnutls_x509_crt_t crt = NULL;
	int rc;

	if (item->crt != NULL)
		return cs_model_build(m, item->crt, item->der, item->der_len,
				      parts, err);
	/* loaded with defer_import: decoded here, one at a time, with the
	 * loader's checks and messages */
	memset(m, 0, sizeof(*m));
	if (cs_cert_import(&crt, item->der, item->der_len, &item->origin,
			   err) < 0)
		return -1;
	rc = cs_model_build(m, crt, item->der, item->der_len, parts, err);
	gnutls_x509_crt_deinit(crt);
	return rc;
}

/* ---- text ------------------------------------------------------------ */

struct tw {
	FILE *out;
	bool color;
	int err;
};

static void label(struct tw *w, const char *l)
{
	if (fprintf(w->out, "  %-*s", R_LABEL_WIDTH, l) < 0)
		w->err = 1;
}

/* One "  label        value" line with an escaped value. */
static void line_esc(struct tw *w, const char *l, const char *v, size_t len,
		     const char *color)
{
	char *e = esc(v, len);

	if (e == NULL) {
		w->err = 1;
		return;
	}
	label(w, l);
	if (w->color && color)
		fprintf(w->out, "%s%s%s\n", color, e, C_RESET);
	else
		fprintf(w->out, "%s\n", e);
	free(e);
}

static void line_plain(struct tw *w, const char *l, const char *v)
{
	label(w, l);
	if (fprintf(w->out, "%s\n", v) < 0)
		w->err = 1;
}

/* A list of escaped strings joined by ", " on one labelled line. */
static void line_list(struct tw *w, const char *l,
		      const struct cs_strlist *s, bool names)
{
	if (s->n == 0)
		return;
	label(w, l);
	for (size_t i = 0; i < s->n; i++) {
		const char *n = names ? cs_oid_name(s->v[i]) : NULL;
		char *e = esc0(s->v[i]);

		if (e == NULL) {
			w->err = 1;
			return;
		}
		fprintf(w->out, "%s%s", i ? ", " : "", n ? n : e);
		free(e);
	}
	fputc('\n', w->out);
}

static void names_line(struct tw *w, const char *l,
		       const struct cs_namelist *nl)
{
	if (nl->n == 0)
		return;
	label(w, l);
	for (size_t i = 0; i < nl->n; i++) {
		char *e = esc(nl->v[i].value, nl->v[i].len), *ue = NULL;
		char u[256];

		/* an A-label name with its U-label beside it, escaped as
		 * every certificate string is (bidi, controls) */
		if (nl->v[i].type == CS_SAN_DNS &&
		    cs_names_unicode(nl->v[i].value, nl->v[i].len, u,
				     sizeof(u)) &&
		    (ue = esc0(u)) == NULL) {
			free(e);
			e = NULL;
		}
		if (e == NULL) {
			w->err = 1;
			return;
		}
		fprintf(w->out, "%s%s:%s%s%s%s", i ? ", " : "",
			cs_show_san_type_name(nl->v[i].type), e,
			ue ? " (" : "", ue ? ue : "", ue ? ")" : "");
		free(e);
		free(ue);
	}
	fputc('\n', w->out);
}

/* "PATH #2 (PEM, line 23)", written straight out: a path can be as long
 * as PATH_MAX and must not be cut short by a fixed buffer. */
static int origin_print(FILE *out, const char *what,
			const struct cs_origin *o)
{
	char *p = esc0(o->path);
	int r;

	if (p == NULL)
		return -1;
	if (o->line)
		r = fprintf(out, "%s %s #%zu (%s, line %zu)\n", what, p,
			    o->index, cs_format_name(o->format), o->line);
	else
		r = fprintf(out, "%s %s #%zu (%s)\n", what, p, o->index,
			    cs_format_name(o->format));
	free(p);
	return r < 0 ? -1 : 0;
}

static void long_view(struct tw *w, const struct cs_cert_model *m)
{
	char buf[512];

	if (m->has_basic_constraints) {
		if (m->is_ca && m->path_len >= 0)
			snprintf(buf, sizeof(buf), "CA:TRUE, pathlen:%d%s",
				 m->path_len,
				 m->bc_critical ? " (critical)" : "");
		else
			snprintf(buf, sizeof(buf), "CA:%s%s",
				 m->is_ca ? "TRUE" : "FALSE",
				 m->bc_critical ? " (critical)" : "");
		line_plain(w, "basic", buf);
	}
	if (m->has_key_usage) {
		size_t o = 0;

		buf[0] = '\0';
		for (size_t i = 0; i < cs_show_n_ku_names; i++) {
			if (!(m->key_usage & cs_show_ku_names[i].bit))
				continue;
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
					      o ? ", " : "",
					      cs_show_ku_names[i].name);
			if (o >= sizeof(buf))
				break;
		}
		if (m->ku_critical && o + 12 < sizeof(buf))
			snprintf(buf + o, sizeof(buf) - o, " (critical)");
		line_plain(w, "key usage", buf[0] ? buf : "(none)");
	}
	if (m->has_eku)
		line_list(w, "ext key use", &m->eku, true);
	if (m->ski_hex[0])
		line_plain(w, "subject kid", m->ski_hex);
	if (m->aki_hex[0])
		line_plain(w, "author. kid", m->aki_hex);
	line_list(w, "OCSP", &m->ocsp_urls, false);
	line_list(w, "CA issuers", &m->ca_issuer_urls, false);
	line_list(w, "CRL", &m->crl_urls, false);
	line_list(w, "policies", &m->policies, true);
	if (m->has_name_constraints) {
		names_line(w, "permitted", &m->nc_permitted);
		names_line(w, "excluded", &m->nc_excluded);
		if (m->nc_permitted.n == 0 && m->nc_excluded.n == 0)
			line_plain(w, "constraints", "(empty)");
	}
	for (size_t i = 0; i < m->n_scts; i++) {
		char t[R_TIME_MAX * 2];

		human_time(m->scts[i].timestamp, t, sizeof(t));
		snprintf(buf, sizeof(buf), "log %s at %s",
			 m->scts[i].log_id_b64, t);
		line_plain(w, "SCT", buf);
	}
	for (size_t i = 0; i < m->n_exts; i++) {
		const char *n = cs_oid_name(m->exts[i].oid);
		char *e = esc0(m->exts[i].oid);

		if (e == NULL) {
			w->err = 1;
			return;
		}
		/* Printed directly: an OID may be longer than buf. */
		label(w, "extension");
		if (fprintf(w->out, "%s%s%s%s%s\n", n ? n : e,
			    n ? " (" : "", n ? e : "", n ? ")" : "",
			    m->exts[i].critical ? " critical" : "") < 0)
			w->err = 1;
		free(e);
	}
	cs_hex_colon(buf, sizeof(buf), m->sha1, sizeof(m->sha1));
	line_plain(w, "sha1", buf);
	line_plain(w, "pin-sha256", m->spki_sha256_b64);
	for (size_t i = 0; i < m->warnings.n; i++)
		line_esc(w, "warning", m->warnings.v[i],
			 strlen(m->warnings.v[i]), C_YELLOW);
}

/* see show.h */
int cs_report_cert_text(FILE *out, const struct cs_item *item,
			const struct cs_cert_model *m,
			const struct cs_report_opts *o)
{
	struct tw w = {.out = out, .color = o->color};
	char buf[1024], a[R_TIME_MAX * 2], b[R_TIME_MAX * 2], rel[96];
	const char *vcolor = NULL;

	if (origin_print(out, "certificate", &item->origin) < 0)
		return -1;
	line_esc(&w, "subject", m->subject, strlen(m->subject ? m->subject :
							      ""),
		 C_BOLD);
	line_esc(&w, "issuer", m->issuer, strlen(m->issuer ? m->issuer : ""),
		 NULL);
	/* Printed directly: a hostile serial can run to hundreds of bytes
	 * (RFC 5280 4.1.2.2 allows 20) and must be shown whole. */
	label(&w, "serial");
	if (fprintf(out, "%s%s\n", m->serial_hex ? m->serial_hex : "",
		    m->serial_negative ? " (negative)" : "") < 0)
		w.err = 1;

	human_time(m->not_before, a, sizeof(a));
	human_time(m->not_after, b, sizeof(b));
	if (m->not_before != CS_TIME_NONE && m->not_before > o->now) {
		cs_report_relative(m->not_before, o->now, false, rel,
				   sizeof(rel));
		vcolor = C_RED;
	} else {
		cs_report_relative(m->not_after, o->now, true, rel,
				   sizeof(rel));
		if (m->not_after != CS_TIME_NONE && m->not_after <= o->now)
			vcolor = C_RED;
		else if (m->not_after != CS_TIME_NONE &&
			 cs_show_time_diff(m->not_after, o->now) <
			 (int64_t)R_SOON_DAYS * R_SECS_PER_DAY)
			vcolor = C_YELLOW;
	}
	label(&w, "valid");
	fprintf(out, "%s to %s (%s%s%s)\n", a, b,
		w.color && vcolor ? vcolor : "", rel,
		w.color && vcolor ? C_RESET : "");
	names_line(&w, "names", &m->sans);
	if (m->sans.n == 0)
		line_plain(&w, "names", "(none)");
	key_text(m, buf, sizeof(buf));
	line_plain(&w, "key", buf);
	if (m->sig_alg[0])
		line_plain(&w, "signature", m->sig_alg);
	else /* an unknown algorithm: its OID, from the certificate */
		line_esc(&w, "signature", m->sig_oid, strlen(m->sig_oid),
			 NULL);
	cs_hex_colon(buf, sizeof(buf), m->sha256, sizeof(m->sha256));
	line_plain(&w, "sha256", buf);
	type_text(m, buf, sizeof(buf));
	line_plain(&w, "type", buf);
	if (o->long_view)
		long_view(&w, m);
	if (ferror(out))
		w.err = 1;
	return w.err ? -1 : 0;
}

/* ---- CRLs -------------------------------------------------------------- */

/* see show_int.h */
void cs_show_crl_info(const struct cs_item *item, struct cs_show_crl *ci)
{
	gnutls_datum_t dn = {NULL, 0};
	unsigned char num[R_CRL_NUMBER_MAX];
	size_t num_len = sizeof(num);
	unsigned crit = 0;
	time_t t;
	int r;

	memset(ci, 0, sizeof(*ci));
	ci->this_update = ci->next_update = CS_TIME_NONE;
	if (gnutls_x509_crl_get_issuer_dn3(item->crl, &dn, 0) == 0) {
		ci->issuer = malloc(dn.size + 1);
		if (ci->issuer) {
			memcpy(ci->issuer, dn.data, dn.size);
			ci->issuer[dn.size] = '\0';
			ci->issuer_len = dn.size;
		}
		gnutls_free(dn.data);
	}
	t = gnutls_x509_crl_get_this_update(item->crl);
	if (t != (time_t)-1)
		ci->this_update = (cs_time_t)t;
	t = gnutls_x509_crl_get_next_update(item->crl);
	if (t != (time_t)-1)
		ci->next_update = (cs_time_t)t;
	r = gnutls_x509_crl_get_crt_count(item->crl);
	ci->revoked = r > 0 ? (unsigned)r : 0;
	r = gnutls_x509_crl_get_signature_algorithm(item->crl);
	snprintf(ci->sig, sizeof(ci->sig), "%s",
		 r > 0 && gnutls_sign_get_name((gnutls_sign_algorithm_t)r) ?
		 gnutls_sign_get_name((gnutls_sign_algorithm_t)r) :
		 "unknown");
	r = gnutls_x509_crl_get_number(item->crl, num, &num_len, &crit);
	if (r == 0)
		cs_hex_colon(ci->number, sizeof(ci->number), num, num_len);
	else if (r == GNUTLS_E_SHORT_MEMORY_BUFFER)
		snprintf(ci->number, sizeof(ci->number),
			 "(longer than %d bytes)", R_CRL_NUMBER_MAX);
}

/* see show.h */
int cs_report_crl_text(FILE *out, const struct cs_item *item,
		       const struct cs_report_opts *o)
{
	struct tw w = {.out = out, .color = o->color};
	struct cs_show_crl ci;
	char buf[1024], a[R_TIME_MAX * 2], b[R_TIME_MAX * 2];

	cs_show_crl_info(item, &ci);
	if (origin_print(out, "CRL", &item->origin) < 0)
		w.err = 1;
	line_esc(&w, "issuer", ci.issuer, ci.issuer_len, C_BOLD);
	human_time(ci.this_update, a, sizeof(a));
	human_time(ci.next_update, b, sizeof(b));
	label(&w, "updated");
	if (ci.next_update != CS_TIME_NONE && ci.next_update <= o->now)
		fprintf(out, "%s, next %s (%sstale%s)\n", a, b,
			w.color ? C_RED : "", w.color ? C_RESET : "");
	else
		fprintf(out, "%s, next %s\n", a, b);
	snprintf(buf, sizeof(buf), "%u", ci.revoked);
	line_plain(&w, "revoked", buf);
	if (ci.number[0])
		line_plain(&w, "number", ci.number);
	line_plain(&w, "signature", ci.sig);
	free(ci.issuer);
	if (ferror(out))
		w.err = 1;
	return w.err ? -1 : 0;
}

/* ---- PEM ---------------------------------------------------------- */

/* see show.h */
int cs_report_pem(FILE *out, const struct cs_item *item)
{
	const char *label = item->kind == CS_ITEM_CRL ? "X509 CRL" :
			    "CERTIFICATE";
	gnutls_datum_t in, pem = {NULL, 0};
	int rc = -1;

	if (item->der == NULL || item->der_len == 0 ||
	    item->der_len > (size_t)0x7fffffff)
		return -1;
	in.data = item->der;
	in.size = (unsigned)item->der_len;
	if (gnutls_pem_base64_encode2(label, &in, &pem) < 0)
		return -1;
	if (fwrite(pem.data, 1, pem.size, out) == pem.size && !ferror(out))
		rc = 0;
	gnutls_free(pem.data);
	return rc;
}
