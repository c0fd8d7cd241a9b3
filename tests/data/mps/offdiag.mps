NAME OFFDIAG
ROWS
 N obj
 G c1
COLUMNS
 x obj 1 c1 1
 y obj 1 c1 1
QUADOBJ
 x x 2
 y x 1
 y y 2
ENDATA
