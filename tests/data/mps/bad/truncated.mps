NAME TRUNC
ROWS
 N obj
 L c1
COLUMNS
 x obj 1 c1 1
 y obj 2 c1
