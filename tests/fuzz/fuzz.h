/* SPDX-License-Identifier: ISC */
/* The libFuzzer entry points every target in tests/fuzz/ defines. Built
 * with --enable-fuzzing they are driven by libFuzzer; otherwise replay.c
 * runs them over saved inputs (the corpus and past crashes) in make check. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
