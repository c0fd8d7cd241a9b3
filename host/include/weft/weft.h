/* weft: the whole public API. */
#ifndef WEFT_H
#define WEFT_H

#include "weft/status.h"
#include "weft/context.h"
#include "weft/devices.h"
#include "weft/lp.h"
#include "weft/grid.h"
#include "weft/scenarios.h"
#include "weft/roads.h"
#include "weft/route.h"

#define WEFT_VERSION_STRING "0.1.0"

#endif
