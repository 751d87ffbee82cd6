/** What the create and update build commands answer. */
export interface BuildCommandResult {
  id: string;
  /** The build's revision after the command; send it back as If-Match on the next edit. */
  revision: number;
  position: number;
}
