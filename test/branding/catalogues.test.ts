/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { de } from "../../src/ui/i18n/de";
import { en } from "../../src/ui/i18n/en";

// Every area catalogue, found by file name: a new area cannot be forgotten here.
const areas = import.meta.glob<{ en: Record<string, string>; de: Record<string, string> }>("../../src/ui/i18n/areas/*.ts", { eager: true });

/**
 * Values that are rightly the same in German: words German uses as they are. Listed by value, not by key, so
 * a new "Name" label passes while an untranslated sentence does not; add one only with a reason.
 */
const SAME_IN_GERMAN = new Set<string>([
  "Name", // the German word too
  "optional", // the German word too
  "Passkey", // the term German platforms (Apple, Google, Microsoft) use
  "Passkeys",
  "{city}, {country}", // only placeholders: the place reads the same in German ("Lyon, Frankreich")
]);

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();
}

function checkPair(name: string, english: Record<string, string>, german: Record<string, string>) {
  const missing = Object.keys(english).filter((key) => !Object.hasOwn(german, key));
  const extra = Object.keys(german).filter((key) => !Object.hasOwn(english, key));
  expect(missing, `${name}: keys missing in German`).toEqual([]);
  expect(extra, `${name}: keys in German that English lacks`).toEqual([]);
  const untranslated = Object.keys(english).filter(
    (key) =>
      german[key] === english[key] &&
      !SAME_IN_GERMAN.has(english[key] ?? "") &&
      placeholders(english[key] ?? "").join("") !== (english[key] ?? "").replace(/[{}\s]/g, ""),
  );
  expect(untranslated, `${name}: German values identical to English`).toEqual([]);
  const wrongPlaceholders = Object.keys(english).filter((key) => placeholders(english[key] ?? "").join() !== placeholders(german[key] ?? "").join());
  expect(wrongPlaceholders, `${name}: placeholders differ`).toEqual([]);
  const empty = Object.keys(english).filter((key) => !english[key]?.trim() || !german[key]?.trim());
  expect(empty, `${name}: empty values`).toEqual([]);
}

describe("message catalogues", () => {
  it("has the area catalogues", () => {
    expect(Object.keys(areas).length).toBeGreaterThan(3);
  });

  it("English and German have the same keys, German is translated, placeholders match (whole catalogue)", () => {
    checkPair("catalogue", en, de);
  });

  for (const [file, area] of Object.entries(areas)) {
    it(`${file.split("/").pop()}: same keys in English and German, translated`, () => {
      expect(area.en, `${file} exports en`).toBeTypeOf("object");
      expect(area.de, `${file} exports de`).toBeTypeOf("object");
      checkPair(file, area.en, area.de);
      // Wired into the full catalogues.
      for (const key of Object.keys(area.en)) {
        expect(en[key as keyof typeof en], `${key} in en.ts`).toBe(area.en[key]);
        expect(de[key as keyof typeof de], `${key} in de.ts`).toBe(area.de[key]);
      }
    });
  }

  it("catches a missing key, an extra key and an untranslated value (the check itself can fail)", () => {
    expect(() => checkPair("t", { a: "Save", b: "Back" }, { a: "Speichern" })).toThrow();
    expect(() => checkPair("t", { a: "Save" }, { a: "Speichern", z: "Extra" })).toThrow();
    expect(() => checkPair("t", { a: "Save changes" }, { a: "Save changes" })).toThrow();
    expect(() => checkPair("t", { a: "Hi {name}" }, { a: "Hallo {nam}" })).toThrow();
  });
});
