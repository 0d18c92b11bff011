package xlsx

import "casebook/casebook"

// contactFields are the fields of a case the ledger shows beyond its
// summary (a summary leaves out personal data and free text): the source
// gives them with each appeal.
var contactFields = []string{casebook.FieldUnit, casebook.FieldLocation, casebook.FieldComplainant, casebook.FieldPhone}
