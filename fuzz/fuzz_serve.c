/*
 * fuzz_serve.c - what a stranger can hand the exporter: the first byte
 * chooses the request URI parser (even) or the YAML configuration parser
 * (odd), the rest is the input.  A parsed configuration is then asked
 * about a few targets through the allow-list.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "serve/config.h"
#include "serve/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = {
		"www.example.com:443", "192.0.2.1:443", "[2001:db8::1]:8443",
		"smtp://mail.example.org",
	};
	struct cs_error err;

	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		struct cs_query q;

		(void)cs_query_parse((const char *)data + 1, size - 1, &q,
				     &err);
		return 0;
	}
	{
		struct cs_serve_config c;
		size_t i;

		if (cs_serve_config_parse((const char *)data + 1, size - 1,
					  "fuzz.yml", &c, &err) < 0)
			return 0;
		for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
			struct cs_check_target t;
			char why[256];

			if (cs_check_target_parse(targets[i], 0, &t, &err) == 0)
				(void)cs_serve_allowed(&c, &t, why,
						       sizeof(why));
		}
		cs_serve_config_free(&c);
	}
	return 0;
}
