// The LP/MIP layer: a solver-independent model and its GLPK backend.
