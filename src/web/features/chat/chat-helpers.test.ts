import { describe, expect, it } from 'vitest';
import { chatErrorMessage } from './chat-error';

describe('chatErrorMessage', () => {
  it("unwraps Scout's JSON error bodies and names network failures", () => {
    expect(chatErrorMessage(new Error('{"error":"You are asking faster than 20 questions a minute.","code":"RATE_LIMITED"}'))).toBe('You are asking faster than 20 questions a minute.');
    expect(chatErrorMessage(new TypeError('Failed to fetch'))).toContain("Can't reach Scout");
    expect(chatErrorMessage(new Error('The language model provider is having problems.'))).toBe('The language model provider is having problems.');
    expect(chatErrorMessage(new Error(''))).toContain('Try again');
  });
});
