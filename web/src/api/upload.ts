// Sending a request body the user waits for (a file to a volume, a file into a table) with its
// progress. XMLHttpRequest, not fetch: only XHR reports how much of a request body has been sent.
// The request carries the same token, and fails with the same ApiError, as the typed client's.
import { ApiError, authHeaders, credentials } from './client'

export interface SendOptions {
  method: 'PUT' | 'POST'
  /** Headers besides the token's, e.g. the body's Content-Type. */
  headers?: Record<string, string>
  /** Bytes of the body sent so far, of `total` (the body's size); it ends at total, total. */
  onProgress?(sent: number, total: number): void
  signal?: AbortSignal
}

/** What a cancelled send rejects with, as fetch does. */
export function abortError(): DOMException {
  return new DOMException('The upload was cancelled', 'AbortError')
}

/**
 * Sends `body` to the API `path` (with its query string). Resolves with the JSON answer (null for
 * an empty one); rejects with an ApiError from the server's problem document, a network ApiError
 * (status 0), or an AbortError once `signal` cancels it.
 */
export function sendBody<T>(path: string, body: Blob, { method, headers = {}, onProgress, signal }: SendOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError())
    const xhr = new XMLHttpRequest()
    xhr.open(method, new URL(path, location.origin).href)
    for (const [name, value] of Object.entries({ ...authHeaders(), ...headers })) xhr.setRequestHeader(name, value)
    if (onProgress) {
      xhr.upload.onprogress = (event) => onProgress(Math.min(event.loaded, body.size), body.size)
      // A browser's last progress event may stop short of the size; the upload's load says it is all sent.
      xhr.upload.onload = () => onProgress(body.size, body.size)
    }
    const cancel = () => xhr.abort()
    signal?.addEventListener('abort', cancel, { once: true })
    const settle = () => signal?.removeEventListener('abort', cancel)
    xhr.onload = () => {
      settle()
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : null) as T)
        } catch (error) {
          reject(error)
        }
        return
      }
      if (xhr.status === 401) credentials.onUnauthorized()
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText })
      void ApiError.from(response).then(reject)
    }
    xhr.onerror = () => {
      settle()
      reject(ApiError.network(new Error('the connection was lost while sending')))
    }
    xhr.onabort = () => {
      settle()
      reject(abortError())
    }
    xhr.send(body)
  })
}
