* RANGES on every row type: E with R > 0, R < 0, R = 0; L and G with R of either sign
NAME RANGES
ROWS
 N obj
 E e_pos
 E e_neg
 E e_zero
 L l_pos
 L l_neg
 G g_pos
 G g_neg
COLUMNS
 x obj 1 e_pos 1
 x e_neg 1 e_zero 1
 x l_pos 1 l_neg 1
 x g_pos 1 g_neg 1
RHS
 rhs e_pos 4 e_neg 4
 rhs e_zero 3 l_pos 10
 rhs l_neg 10 g_pos 1
 rhs g_neg 1
RANGES
 rng e_pos 2 e_neg -3
 rng e_zero 0 l_pos 4
 rng l_neg -4 g_pos 5
 rng g_neg -5
ENDATA
