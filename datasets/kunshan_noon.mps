* Kunshan hub, one noon hour (SYNTHETIC): a two-bus economic dispatch with a congested 110 kV line.
* Bus A (plant side): gas units G1, G2 and the tie-line import; 40 MW local load.
* Bus B (factory park): gas unit G3, rooftop solar, the park battery; 250 MW load.
* Line A->B limited to 140 MW. Costs in CNY/MWh. Optimum 113350 CNY; LMP A 480, LMP B 610.
* This is the bundled job until the full Kunshan scenario (grid + logistics) replaces it.
NAME kunshan_noon
ROWS
 N  cost
 E  bal_A
 E  bal_B
COLUMNS
 G1      cost  420   bal_A  1
 G2      cost  480   bal_A  1
 IMPORT  cost  520   bal_A  1
 G3      cost  610   bal_B  1
 SOLAR   cost  0     bal_B  1
 BATT    cost  30    bal_B  1
 LINE_AB bal_A -1    bal_B  1
RHS
 rhs bal_A 40 bal_B 250
BOUNDS
 LO bnd G1 20
 UP bnd G1 120
 LO bnd G2 10
 UP bnd G2 80
 UP bnd IMPORT 150
 UP bnd G3 60
 UP bnd SOLAR 35
 UP bnd BATT 20
 LO bnd LINE_AB -140
 UP bnd LINE_AB 140
ENDATA
