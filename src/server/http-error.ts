/** An error the HTTP layer answers as it is: its status, its message, its `extensions.code`. */
export function httpError(status: number, message: string, code = 'BAD_REQUEST') {
  return Object.assign(new Error(message), { status, expose: true, code });
}
