import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach, inject } from 'vitest'

if (location.origin !== inject('ducklakeUrl')) {
  throw new Error(`test pages must be loaded from the test server ${inject('ducklakeUrl')}, not ${location.origin}`)
}

// Pages wait on a real server, which may be a sanitizer build sharing two cores with other test
// files: a second is too short a wait for what a page shows after a few requests.
configure({ asyncUtilTimeout: 10_000 })

// jsdom lays nothing out: an element is as high as its inline style says, so virtualised lists
// show the rows that would fit.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return parseFloat(this.style.height) || 0
  },
})
Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return parseFloat(this.style.width) || 1000
  },
})

afterEach(() => {
  cleanup()
  sessionStorage.clear()
  localStorage.clear()
})
