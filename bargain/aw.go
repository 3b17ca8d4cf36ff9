package bargain

// AdjustedWinner divides the issues of a two-party problem by Brams and
// Taylor's Adjusted Winner procedure, in exact arithmetic. Every issue is
// divisible with two options named after the parties; a party's points
// for an issue are weight × rating of its own option / 100.
func AdjustedWinner(p *Problem) (*Division, error) { return nil, errUnimplemented }
