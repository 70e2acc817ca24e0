// Package roster is the domain of Roster: organizations, users, groups and
// locations, the rules that govern them, and the interfaces the storage, mail and
// transport packages implement. It knows nothing of DynamoDB, SES or HTTP; the
// subpackages translate between those technologies and the types defined here.
package roster
