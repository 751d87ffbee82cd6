/** What every verification command answers: the event it appended (if any) and where it is in the log. */
export interface VerificationCommandResult {
  verificationId: string;
  eventId: string | null;
  position: number;
}
