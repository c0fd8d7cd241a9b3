* QUADOBJ lists the lower triangle; an explicit zero off-diagonal term is harmless
NAME QUADOBJ
ROWS
 N obj
 G c1
COLUMNS
 x obj -1 c1 1
 y obj 0 c1 1
 z obj 1 c1 1
RHS
 rhs c1 1
QUADOBJ
 x x 2
 y x 0
 y y 4.5
ENDATA
