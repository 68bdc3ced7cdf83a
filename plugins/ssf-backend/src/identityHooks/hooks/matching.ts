/*
 * Copyright 2026 The Shared Signals for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { SsfIdentityChangeKind } from '@shared-signals/plugin-ssf-node';
import { RE2JS } from 're2js';
import { HookTrigger } from './types';

// Hook patterns are written by portal admins but matched against values
// that come from the catalog and HR feeds, so a pattern must never take
// more than linear time on any value. JavaScript's RegExp backtracks:
// "(a|a)*b" against 30 "a"s and a "!" takes minutes and blocks the event
// loop. Patterns are therefore compiled with RE2JS, a port of RE2, whose
// matching time is linear in the length of the value for every pattern it
// accepts. It refuses what cannot be matched that way (backreferences,
// lookahead and lookbehind), so such patterns are refused when a hook is
// saved.

/** The longest pattern a hook may have. @internal */
export const MAX_PATTERN_LENGTH = 1000;

/**
 * The most RE2 instructions a pattern may compile to. Matching is linear in
 * the value's length but also proportional to the program's size, which
 * counted repetitions multiply: `a{1,1000}` written 100 times is 900
 * characters but 200,000 instructions, and took 40 seconds on a 4 kB value.
 * Real patterns (`suspended|terminated`, `.+@example\.com`) need well under
 * a hundred.
 *
 * @internal
 */
export const MAX_PATTERN_PROGRAM_SIZE = 1000;

/**
 * The longest value (in UTF-16 code units, JavaScript's string length) a
 * pattern is tested against; a longer value matches no pattern. This bounds
 * the work of one match to a constant, whatever feeds the attribute. The
 * identity changes API already refuses longer values; catalog annotations and
 * labels have no such limit, and no lifecycle state or email is this long.
 *
 * @internal
 */
export const MAX_MATCHED_VALUE_LENGTH = 4096;

// A rough upper bound on the size of a pattern's RE2 program, read from its
// text without compiling it: compiling is itself proportional to the
// program's size (a second for a million instructions), so a pattern far
// too large is refused before that work. The exact size is checked after
// compiling; this only has to be cheap and not far below the real size.
function estimatedProgramSize(pattern: string): number {
  type Frame = { done: number; current: number; last: number; alts: number };
  const stack: Frame[] = [];
  let frame: Frame = { done: 0, current: 0, last: 0, alts: 0 };
  const atom = (size: number) => {
    frame.current += size;
    frame.last = size;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        // Literal text up to \E: one instruction a character.
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end;
        atom(Math.max(stop - (i + 2), 0));
        i = end < 0 ? stop : end + 2;
        continue;
      }
      if (pattern[i + 2] === '{' && 'pPx'.includes(next)) {
        const end = pattern.indexOf('}', i + 3);
        i = end < 0 ? pattern.length : end + 1;
      } else {
        i += 2;
      }
      atom(1);
      continue;
    }
    if (c === '[') {
      // A character class is one instruction; find its end.
      let j = i + 1;
      if (pattern[j] === '^') j += 1;
      if (pattern[j] === ']') j += 1;
      while (j < pattern.length && pattern[j] !== ']') {
        if (pattern[j] === '\\') j += 1;
        else if (pattern.startsWith('[:', j)) {
          const end = pattern.indexOf(':]', j + 2);
          if (end >= 0) j = end + 1;
        }
        j += 1;
      }
      i = j + 1;
      atom(1);
      continue;
    }
    if (c === '(') {
      const flagsOnly = /^\(\?[a-zA-Z-]*\)/.exec(pattern.slice(i, i + 16));
      if (flagsOnly) {
        i += flagsOnly[0].length;
        continue;
      }
      stack.push(frame);
      frame = { done: 0, current: 0, last: 0, alts: 0 };
      i += 1;
      continue;
    }
    if (c === ')' && stack.length) {
      const size = frame.done + frame.current + frame.alts + 2;
      frame = stack.pop()!;
      atom(size);
      i += 1;
      continue;
    }
    if (c === '|') {
      frame.done += frame.current;
      frame.current = 0;
      frame.last = 0;
      frame.alts += 1;
      i += 1;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      frame.current += 2;
      frame.last += 2;
      i += 1;
      continue;
    }
    if (c === '{') {
      const counted = /^\{(\d{1,7})(,(\d{0,7}))?\}/.exec(
        pattern.slice(i, i + 20),
      );
      if (counted) {
        const min = Number(counted[1]);
        // {n} is n copies, {n,m} m, and {n,} n and a star.
        let copies = min;
        if (counted[2] !== undefined) {
          copies = counted[3] ? Number(counted[3]) : min + 1;
        }
        copies = Math.max(copies, 1);
        const repeated = frame.last * copies + copies;
        frame.current += repeated - frame.last;
        frame.last = repeated;
        i += counted[0].length;
        continue;
      }
    }
    atom(1);
    i += 1;
  }
  let size = frame.done + frame.current + frame.alts;
  while (stack.length) {
    const parent = stack.pop()!;
    size += parent.done + parent.current + parent.alts + 2;
  }
  return size + 3;
}

type Compiled = { regex: RE2JS; problem?: undefined } | { problem: string };

function compile(pattern: string): Compiled {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      problem: `the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    };
  }
  const tooLarge = (size: string) =>
    `the pattern is too large for the linear-time matching engine: it compiles to ${size} RE2 instructions and at most ${MAX_PATTERN_PROGRAM_SIZE} are allowed (counted repetitions such as {100} copy what they repeat)`;
  const estimate = estimatedProgramSize(pattern);
  // The estimate errs high; refuse before compiling only when it is far out.
  if (estimate > 10 * MAX_PATTERN_PROGRAM_SIZE) {
    return { problem: tooLarge(`about ${estimate}`) };
  }
  let regex: RE2JS;
  try {
    // No flags: Unicode code points, "." not matching a newline, like
    // JavaScript's "u" mode. A pattern can set flags itself, e.g. (?i).
    regex = RE2JS.compile(pattern);
  } catch (error) {
    return {
      problem: `not a pattern the linear-time matching engine (RE2 syntax) takes: ${
        (error as Error).message
      }. Backreferences, lookahead and lookbehind are not supported`,
    };
  }
  const size = regex.programSize();
  if (size > MAX_PATTERN_PROGRAM_SIZE) {
    return { problem: tooLarge(String(size)) };
  }
  return { regex };
}

// Patterns are few (one or two per hook), but dry runs of unsaved hooks can
// add more: forget them all past this many rather than grow without bound.
const MAX_COMPILED = 500;
const compiled = new Map<string, Compiled>();

// Each pattern is compiled once (hooks are read from the database for every
// change, so the cache is by pattern text) and refusals are remembered too.
function compiledPattern(pattern: string): Compiled {
  // Not remembered: it would keep up to a request body's worth of text.
  if (pattern.length > MAX_PATTERN_LENGTH) return compile(pattern);
  let entry = compiled.get(pattern);
  if (!entry) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    entry = compile(pattern);
    compiled.set(pattern, entry);
  }
  return entry;
}

/**
 * Why the matching engine refuses a hook pattern, or undefined when it takes
 * it: too long, not RE2 syntax (the engine's own message), or too large.
 *
 * @internal
 */
export function patternProblem(pattern: string): string | undefined {
  return compiledPattern(pattern).problem;
}

/**
 * Whether `value` matches the whole of a hook's pattern, in time linear in
 * the value's length. A value longer than {@link MAX_MATCHED_VALUE_LENGTH}
 * matches nothing, and neither does a pattern the engine refuses (one stored
 * before patterns were checked this way), so neither can fire a hook.
 *
 * @internal
 */
export function fullMatch(pattern: string, value: string): boolean {
  if (value.length > MAX_MATCHED_VALUE_LENGTH) return false;
  const entry = compiledPattern(pattern);
  return entry.problem === undefined && entry.regex.matches(value);
}

/** Whether a change fires a trigger. @internal */
export function triggerMatches(
  trigger: HookTrigger,
  change: SsfIdentityChangeKind,
): boolean {
  if (trigger.on !== change.kind) return false;
  if (trigger.on !== 'attribute_changed') return true;
  if (change.kind !== 'attribute_changed' || change.path !== trigger.path) {
    return false;
  }
  return (
    (trigger.from === undefined ||
      fullMatch(trigger.from, change.from ?? '')) &&
    (trigger.to === undefined || fullMatch(trigger.to, change.to ?? ''))
  );
}
