// The capacity model: scenarios, validation, formulation and plans.
