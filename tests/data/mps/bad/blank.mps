
* only a comment

