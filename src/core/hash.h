/*
 * hash.h - FNV-1a, 64 bits: a stable, seedless hash for hash sets over
 * names and DER (path/tree.c) and for check's shards (check/target.c),
 * where the same text must land in the same slice on every machine.
 * Not for anything an attacker could exploit by choosing collisions
 * beyond a slower lookup.
 */
#ifndef CS_HASH_H
#define CS_HASH_H

#include <stddef.h>
#include <stdint.h>

#define CS_FNV64_BASIS UINT64_C(14695981039346656037)

/* h continued over len bytes at data (start with CS_FNV64_BASIS). */
static inline uint64_t cs_fnv64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

#endif
