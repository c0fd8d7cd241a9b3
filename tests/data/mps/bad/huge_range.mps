* a finite range of 1e308: as a row bound it overflowed the solver's norms (found by fuzzing)
NAME HUGE
ROWS
 N obj
 L c1
COLUMNS
 x obj 1 c1 1
RHS
 rhs c1 10
RANGES
 rng c1 1e308
ENDATA
