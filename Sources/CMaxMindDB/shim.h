#ifndef SHORTLINKS_CMAXMINDDB_SHIM_H
#define SHORTLINKS_CMAXMINDDB_SHIM_H
#include <maxminddb.h>
#endif
