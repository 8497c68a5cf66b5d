/*
 * fuzz_load.c - the loader on any bytes: format auto-detection, PEM,
 * DER, PKCS#7 and PKCS#12 (with a fixed password), item limits.
 */
#include <stddef.h>
#include <stdint.h>

#include "input/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_load_opts lo = {.password = "test-password",
				  .max_items = 1000};
	struct cs_itemlist list;
	struct cs_error err;
	size_t found = 0;

	cs_itemlist_init(&list);
	(void)cs_load_buffer(&list, data, size, "fuzz", &lo, 0, &found,
			     &err);
	cs_itemlist_free(&list);
	return 0;
}
