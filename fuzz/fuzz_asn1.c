/*
 * fuzz_asn1.c - `certscope asn1` on any bytes: PEM or DER detection, the
 * walk, the PKIX labels (libtasn1), and the text and JSON reports; then
 * again with small limits (4 levels, 64 elements), so that the limits
 * cut walks and encapsulation probes at every point.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/asn1.h"
#include "x509/asn1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dump(const uint8_t *data, size_t size,
		 const struct cs_asn1_opts *o)
{
	static FILE *null;
	struct cs_asn1_list l;
	struct cs_error err;
	json_t *j;
	char *s;

	if (null == NULL)
		null = fopen("/dev/null", "w");
	if (cs_asn1_read(&l, data, size, o, &err) < 0)
		return;
	if (null)
		(void)cs_report_asn1_text(null, &l);
	j = cs_report_asn1_json(&l, "fuzz");
	s = j ? json_dumps(j, 0) : NULL;
	free(s);
	json_decref(j);
	cs_asn1_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cs_asn1_opts small = {.max_depth = 4,
						  .max_elements = 64};

	dump(data, size, NULL);
	dump(data, size, &small);
	return 0;
}
