* fixed-format MPS whose names contain blanks (columns 5-12, 15-22, 40-47)
NAME          SPACES   extra words after the name
ROWS
 N  COST
 L  LIM 1
 G  LIM 2
COLUMNS
    X ONE     COST               1.0   LIM 1              2.0
    X ONE     LIM 2              1.0
    Y TWO     COST              -1.0   LIM 2              3.0
RHS
    RHS       LIM 1              8.0   LIM 2              1.0
    RHS       COST              -2.5
BOUNDS
 UP BND       X ONE              5.0
ENDATA
