/*
 * clientcert.c - the client certificate: its files read and checked once,
 * before any connection (PEM or DER certificate and key, PKCS#12, the
 * password's failures in words), and the GnuTLS callback that sends it
 * whenever a server asks, whatever CA names it lists.  See
 * cs_net_client_load in net.h.
 *
 * Does not: connect or wait for the server's verdict on it (tls.c), read
 * the password from anywhere (the caller gives it), or print.
 */
#include "net/net_int.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct cs_net_client {
	gnutls_certificate_credentials_t cred; /* answers with the below */
	gnutls_pcert_st *pcerts;               /* the chain, leaf first */
	unsigned n_pcerts;
	gnutls_privkey_t key;
	char *subject;
};

/* The server asked for a certificate: send ours whatever CA names or key
 * types it listed, as the user asked for it (GnuTLS's own choice would
 * send nothing when the issuer is not among the names). */
static int client_retrieve(gnutls_session_t s, const gnutls_datum_t *req_ca,
			   int nreqs, const gnutls_pk_algorithm_t *pk_algos,
			   int pk_algos_length, gnutls_pcert_st **pcert,
			   unsigned int *pcert_length, gnutls_privkey_t *key)
{
	const struct cs_net_sess *x = gnutls_session_get_ptr(s);

	(void)req_ca;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	*pcert = NULL;
	*pcert_length = 0;
	*key = NULL;
	if (x && x->client) {
		*pcert = x->client->pcerts;
		*pcert_length = x->client->n_pcerts;
		*key = x->client->key;
	}
	return 0;
}

static int client_file_ok(const char *what, const char *path,
			  struct cs_error *err)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cs_error_setx(err, CS_E_IO, "%s %s: it is a directory",
				     what, path);
	f = fopen(path, "rb");
	if (!f)
		return cs_error_set(err, CS_E_IO, "%s %s", what, path);
	fclose(f);
	return 0;
}

/* GnuTLS's answer about a key or PKCS#12 file, in words. */
static int client_load_error(int ret, const char *cert, const char *key,
			     const char *password, struct cs_error *err)
{
	const char *kf = key ? key : cert;

	switch (ret) {
	case GNUTLS_E_CERTIFICATE_KEY_MISMATCH:
		return cs_error_setlib(err, CS_E_PARSE, ret,
				       "the key in %s does not belong to the "
				       "certificate in %s", kf, cert);
	case GNUTLS_E_DECRYPTION_FAILED:
	case GNUTLS_E_MAC_VERIFY_FAILED:
		return cs_error_setlib(err, CS_E_PASSWORD, ret, password ?
				       "%s: wrong password for the key" :
				       "%s: the key is encrypted: give its "
				       "password with --password-file FILE "
				       "or CERTSCOPE_PASSWORD", kf);
	default:
		if (!key)
			return cs_error_setlib(err, CS_E_PARSE, ret,
					       "--cert %s without --key must be "
					       "a PKCS#12 file holding the "
					       "certificate and its key: %s",
					       cert, gnutls_strerror(ret));
		return cs_error_setlib(err, CS_E_PARSE, ret,
				       "client certificate %s, key %s: %s",
				       cert, key, gnutls_strerror(ret));
	}
}

int cs_net_client_load(const char *cert, const char *key,
		       const char *password, struct cs_net_client **out,
		       struct cs_error *err)
{
	struct cs_net_client *c;
	gnutls_certificate_credentials_t tmp = NULL;
	gnutls_x509_crt_t *crts = NULL;
	gnutls_x509_privkey_t xkey = NULL;
	gnutls_datum_t dn = {NULL, 0};
	unsigned n = 0, i;
	int ret;

	*out = NULL;
	if (client_file_ok("cannot open --cert", cert, err) < 0 ||
	    (key && client_file_ok("cannot open --key", key, err) < 0))
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return cs_error_setx(err, CS_E_NOMEM, "out of memory");
	/* GnuTLS reads the files and checks that the key fits */
	ret = gnutls_certificate_allocate_credentials(&tmp);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_INTERNAL, ret, "GnuTLS: %s",
				gnutls_strerror(ret));
		goto fail;
	}
	if (!key) {
		ret = gnutls_certificate_set_x509_simple_pkcs12_file(
			tmp, cert, GNUTLS_X509_FMT_DER, password);
		if (ret < 0 && ret != GNUTLS_E_MAC_VERIFY_FAILED &&
		    ret != GNUTLS_E_DECRYPTION_FAILED)
			ret = gnutls_certificate_set_x509_simple_pkcs12_file(
				tmp, cert, GNUTLS_X509_FMT_PEM, password);
		/* no password given: a file made with an empty one
		 * (certtool --empty-password, openssl -passout pass:) */
		if (!password && (ret == GNUTLS_E_MAC_VERIFY_FAILED ||
				  ret == GNUTLS_E_DECRYPTION_FAILED) &&
		    gnutls_certificate_set_x509_simple_pkcs12_file(
			    tmp, cert, GNUTLS_X509_FMT_DER, "") >= 0)
			ret = 0;
	} else {
		ret = gnutls_certificate_set_x509_key_file2(
			tmp, cert, key, GNUTLS_X509_FMT_PEM, password, 0);
		if (ret < 0 && ret != GNUTLS_E_CERTIFICATE_KEY_MISMATCH &&
		    ret != GNUTLS_E_DECRYPTION_FAILED) {
			int r2 = gnutls_certificate_set_x509_key_file2(
				tmp, cert, key, GNUTLS_X509_FMT_DER,
				password, 0);
			if (r2 >= 0 || r2 == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
				ret = r2;
		}
	}
	if (ret < 0) {
		client_load_error(ret, cert, key, password, err);
		goto fail;
	}
	/* then the chain and key are kept to be sent whatever the server
	 * asks for (client_retrieve) */
	ret = gnutls_certificate_get_x509_crt(tmp, 0, &crts, &n);
	if (ret == 0)
		ret = gnutls_certificate_get_x509_key(tmp, 0, &xkey);
	if (ret == 0 && n == 0)
		ret = GNUTLS_E_NO_CERTIFICATE_FOUND;
	if (ret == 0) {
		c->pcerts = calloc(n, sizeof(*c->pcerts));
		if (!c->pcerts)
			ret = GNUTLS_E_MEMORY_ERROR;
	}
	if (ret == 0)
		ret = gnutls_pcert_import_x509_list(c->pcerts, crts, &n, 0);
	if (ret == 0)
		c->n_pcerts = n;
	if (ret == 0)
		ret = gnutls_privkey_init(&c->key);
	if (ret == 0)
		ret = gnutls_privkey_import_x509(c->key, xkey,
			GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
	if (ret == 0)
		xkey = NULL; /* c->key owns it */
	if (ret == 0)
		ret = gnutls_x509_crt_get_dn3(crts[0], &dn, 0);
	if (ret == 0) {
		c->subject = strndup((const char *)dn.data, dn.size);
		gnutls_free(dn.data);
		if (!c->subject)
			ret = GNUTLS_E_MEMORY_ERROR;
	}
	if (ret == 0)
		ret = gnutls_certificate_allocate_credentials(&c->cred);
	if (ret < 0) {
		cs_error_setlib(err, CS_E_PARSE, ret, "client certificate %s: "
				"%s", cert, gnutls_strerror(ret));
		goto fail;
	}
	gnutls_certificate_set_retrieve_function2(c->cred, client_retrieve);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	gnutls_certificate_free_credentials(tmp);
	*out = c;
	return 0;
fail:
	if (xkey)
		gnutls_x509_privkey_deinit(xkey);
	for (i = 0; crts && i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	if (tmp)
		gnutls_certificate_free_credentials(tmp);
	cs_net_client_free(c);
	return -1;
}

gnutls_certificate_credentials_t
cs_net_client_cred(const struct cs_net_client *c)
{
	return c->cred;
}

const char *cs_net_client_subject(const struct cs_net_client *c)
{
	return c ? c->subject : NULL;
}

void cs_net_client_free(struct cs_net_client *c)
{
	if (!c)
		return;
	unsigned i;

	if (c->cred)
		gnutls_certificate_free_credentials(c->cred);
	for (i = 0; i < c->n_pcerts; i++)
		gnutls_pcert_deinit(&c->pcerts[i]);
	free(c->pcerts);
	if (c->key)
		gnutls_privkey_deinit(c->key);
	free(c->subject);
	free(c);
}
