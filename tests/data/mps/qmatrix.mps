* QMATRIX lists both triangles; the diagonal value is Q_jj
NAME QMATRIX
ROWS
 N obj
 G c1
COLUMNS
 x obj -1 c1 1
 y obj 0 c1 1
 z obj 1 c1 1
RHS
 rhs c1 1
QMATRIX
 x x 2
 x z 0
 z x 0
 z z 6
ENDATA
