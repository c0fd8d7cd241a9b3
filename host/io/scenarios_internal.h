/* What a scenario makes of one grid quantity in one period, shared by the baker (a grid per
 * scenario), the DC-OPF fill (vectors per scenario) and the batch results. Private to the library. */
#ifndef WEFT_SCENARIOS_INTERNAL_H
#define WEFT_SCENARIOS_INTERNAL_H

#include "weft/scenarios.h"

/* Load of bus i in period t of scenario s, MW. */
double weft_scenario_load(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t i);
/* Available output of renewable unit i, MW (capacity x availability, scaled, capped at capacity). */
double weft_scenario_available(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t i);
/* Import price of tie-line k, currency/MWh. */
double weft_scenario_price(const weft_scenarios *sc, const weft_grid *g, int32_t s, int32_t t, int32_t k);

#endif
