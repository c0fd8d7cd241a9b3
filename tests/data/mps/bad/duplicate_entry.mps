NAME DUPENT
ROWS
 N obj
 L c1
 G c2
COLUMNS
 x obj 1 c1 1
 x c2 1
 y c1 1
 x c1 2
ENDATA
