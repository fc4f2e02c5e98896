/* Internal: the check of a pt_dtype argument shared by the API files (dense_api.c, mixed_api.c). */
#ifndef PT_DTYPE_CHECK_H
#define PT_DTYPE_CHECK_H

#include "api/error.h"
#include "common/dtypes.h"

/* PT_OK for the three pt_dtype values, else PT_ERR_INVALID_ARGUMENT naming the op, argument and value. */
static inline int pt_check_dtype(const char *op, const char *name, int dtype) {
    if (!pt_dtype_valid(dtype))
        return pt_fail(PT_ERR_INVALID_ARGUMENT, "%s: unknown %s %d (" PT_DTYPE_CHOICES ")", op, name, dtype);
    return PT_OK;
}

#endif
