/* The project's error domain. */
#include "vl-error.h"

G_DEFINE_QUARK (vl-error-quark, vl_error)
