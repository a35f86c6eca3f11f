#ifndef SHORTLINKS_CLIBPQ_SHIM_H
#define SHORTLINKS_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
