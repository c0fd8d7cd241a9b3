* every BOUNDS type; the line of a second bound set ("other") is skipped
NAME BOUNDS
ROWS
 N obj
 L r
COLUMNS
 up obj 1 r 1
 lo r 1
 fx r 1
 fr r 1
 mi r 1
 pl r 1
 bv r 1
 li r 1
 ui r 1
 negup r 1
 neglo r 1
 upinf r 1
 loinf r 1
RHS
 rhs r 100
BOUNDS
 UP bnd up 4
 LO bnd lo -2
 FX bnd fx 3
 FR bnd fr
 MI bnd mi
 UP bnd pl 7
 PL bnd pl
 BV bnd bv
 LI bnd li 2
 UI bnd ui 9
 UP bnd negup -5
 LO bnd neglo -10
 UP bnd neglo -5
 UP bnd upinf 1e30
 LO bnd loinf -Infinity
 UP other up 99
ENDATA
