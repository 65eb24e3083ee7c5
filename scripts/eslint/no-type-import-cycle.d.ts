// Types for the rule's plain-JavaScript module (it is loaded by eslint.config.js, which runs untyped).
import type { Rule } from 'eslint';

export declare const noTypeImportCycle: Rule.RuleModule;
