* free format, CRLF line ends, tabs, long names, OBJSENSE on the next line,
* an objective constant and a second N row that must be dropped
NAME free_example
OBJSENSE
    MAX
ROWS
 N obj
 L capacity_limit
 N spare_free_row
 G demand_row
 E balance
COLUMNS
 x_long_name	obj 3 capacity_limit 1
 x_long_name demand_row 1 spare_free_row 7
 y obj 2 capacity_limit 1
 y balance 1
RHS
 rhs obj 10 capacity_limit 4
 rhs demand_row 1 balance 2
ENDATA
