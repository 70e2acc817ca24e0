// Package imports holds uploads of the roster: reading a spreadsheet, the
// plan of what each row does and its preview, applying the good rows as a
// background job whose steps the root package's job runner hands here (its
// Service is the roster.ImportSteps), and the job's result file. It applies
// rows through the root package's users and jobs; what a job keeps of an
// import (its options and rows) stays in the root, which jobs read.
package imports
