/* SPDX-License-Identifier: ISC */
/* The static program's stand-in for the ICU converters that libxml2 names,
 * linked into it instead of ICU (configure --enable-static-binary).
 *
 * libxml2 asks ICU only for an encoding that is neither one of its own
 * handlers nor known to iconv (xmlFindCharEncodingHandler tries them in that
 * order). This program parses no XML and names no encoding but UTF-8 to
 * libxml2, which is one of its own handlers, so none of these functions is
 * ever called; ICU would add 31 MB of conversion tables to the binary. If one
 * were called, the run stops as an internal error rather than convert
 * differently from the dynamic build. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

static void noicu_stop(void)
{
    fputs("azure-contact-audit: internal error: libxml2 asked for an ICU converter, which the "
          "static build does not hold\n",
          stderr);
    exit(70);
}

UConverter *ucnv_open(const char *converterName, UErrorCode *err)
{
    (void)converterName;
    (void)err;
    noicu_stop();
    return NULL;
}

void ucnv_close(UConverter *converter)
{
    (void)converter;
    noicu_stop();
}

void ucnv_convertEx(UConverter *targetCnv, UConverter *sourceCnv, char **target,
                    const char *targetLimit, const char **source, const char *sourceLimit,
                    UChar *pivotStart, UChar **pivotSource, UChar **pivotTarget,
                    const UChar *pivotLimit, UBool reset, UBool flush, UErrorCode *pErrorCode)
{
    (void)targetCnv, (void)sourceCnv, (void)target, (void)targetLimit, (void)source;
    (void)sourceLimit, (void)pivotStart, (void)pivotSource, (void)pivotTarget;
    (void)pivotLimit, (void)reset, (void)flush, (void)pErrorCode;
    noicu_stop();
}

void ucnv_setToUCallBack(UConverter *converter, UConverterToUCallback newAction,
                         const void *newContext, UConverterToUCallback *oldAction,
                         const void **oldContext, UErrorCode *err)
{
    (void)converter, (void)newAction, (void)newContext, (void)oldAction, (void)oldContext;
    (void)err;
    noicu_stop();
}

void ucnv_setFromUCallBack(UConverter *converter, UConverterFromUCallback newAction,
                           const void *newContext, UConverterFromUCallback *oldAction,
                           const void **oldContext, UErrorCode *err)
{
    (void)converter, (void)newAction, (void)newContext, (void)oldAction, (void)oldContext;
    (void)err;
    noicu_stop();
}

void UCNV_FROM_U_CALLBACK_STOP(const void *context, UConverterFromUnicodeArgs *fromUArgs,
                               const UChar *codeUnits, int32_t length, UChar32 codePoint,
                               UConverterCallbackReason reason, UErrorCode *err)
{
    (void)context, (void)fromUArgs, (void)codeUnits, (void)length, (void)codePoint;
    (void)reason, (void)err;
    noicu_stop();
}

void UCNV_TO_U_CALLBACK_STOP(const void *context, UConverterToUnicodeArgs *toUArgs,
                             const char *codeUnits, int32_t length, UConverterCallbackReason reason,
                             UErrorCode *err)
{
    (void)context, (void)toUArgs, (void)codeUnits, (void)length, (void)reason, (void)err;
    noicu_stop();
}
