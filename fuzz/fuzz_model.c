/*
 * fuzz_model.c - every certificate the loader accepts goes through the
 * model and both report forms (text with --long, JSON), as
 * `certscope show --long --json` does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/load.h"
#include "x509/model.h"
#include "report/show.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_report_opts ro = {.long_view = true, .color = true,
				    .now = 1780272000};
	struct cs_load_opts lo = {.max_items = 100};
	struct cs_itemlist list;
	struct cs_error err;
	size_t found = 0;
	FILE *devnull = fopen("/dev/null", "w");

	if (devnull == NULL)
		return 0;
	cs_itemlist_init(&list);
	(void)cs_load_buffer(&list, data, size, "fuzz", &lo, 0, &found,
			     &err);
	for (size_t i = 0; i < list.n; i++) {
		const struct cs_item *it = &list.items[i];
		struct cs_cert_model m;
		json_t *j;

		if (it->kind == CS_ITEM_CRL) {
			(void)cs_report_crl_text(devnull, it, &ro);
			json_decref(cs_report_crl_json(it, &ro));
			continue;
		}
		if (it->kind != CS_ITEM_CERT)
			continue;
		memset(&m, 0, sizeof(m));
		if (cs_model_from_crt(&m, it->crt, it->der, it->der_len,
				      &err) == 0) {
			(void)cs_report_cert_text(devnull, it, &m, &ro);
			j = cs_report_cert_json(it, &m, &ro);
			if (j != NULL) {
				char *s = json_dumps(j, 0);

				free(s);
				json_decref(j);
			}
		}
		cs_model_free(&m);
		(void)cs_report_pem(devnull, it);
	}
	cs_itemlist_free(&list);
	fclose(devnull);
	return 0;
}
