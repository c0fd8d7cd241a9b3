NAME INF
ROWS
 N obj
 L c1
COLUMNS
 x obj 1 c1 1
 y obj 1e999 c1 1
ENDATA
