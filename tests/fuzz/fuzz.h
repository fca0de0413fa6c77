/*
 * fuzz.h — helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * Each harness feeds arbitrary bytes to one untrusted-input parser and checks the parser's
 * documented promises (FUZZ_CHECK aborts, so libFuzzer saves the input as a reproducer).
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined; run by
 * scripts/run-fuzz.sh.
 */
#ifndef TONGXIN_FUZZ_H
#define TONGXIN_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                    \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                     \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* A malloc'd NUL-terminated copy of exactly n bytes (n + 1 allocated, so AddressSanitizer
 * catches any read past the terminator). The copy may contain NULs, i.e. be "shorter". */
static inline char *fuzz_cstr(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	if (n)
		memcpy(s, data, n);
	s[n] = 0;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
