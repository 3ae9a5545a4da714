// The visitor screen's own words, in the visitor's language, and the
// catalogue's visitor texts (titles, services, directions, documents) in it:
// the translation the catalogue gives, or the French, marked as such.
import { DOCUMENT_WORDINGS, type DocumentItem, type Translations } from "./bindings";

export type VisitorLanguage = "fr" | "en" | "ar" | "es" | "zh-Hans";

export const LANGUAGES: { code: VisitorLanguage; name: string; dir: "ltr" | "rtl" }[] = [
  { code: "fr", name: "Français", dir: "ltr" },
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "es", name: "Español", dir: "ltr" },
  { code: "zh-Hans", name: "中文", dir: "ltr" },
];

export type Words = {
  title: string; ticket: string; wait: string; goTo: string; documents: string;
  online: string; resolved: string; slots: string; address: string; hours: string; phone: string;
  nextSlot: string; demarche: string; inFrench: string;
  opinion: string; howWasIt: string; faces: [string, string, string, string]; repeated: string;
  yes: string; no: string; thanks: string; takeAway: string; takeAwayHint: string;
  /** The expected wait quoted with the ticket, `from` to `to` minutes. */
  waitRange: (from: number, to: number) => string;
};

export const WORDS: Record<VisitorLanguage, Words> = {
  fr: {
    demarche: "Votre démarche", inFrench: "en français",
    title: "Votre passage à la mairie", ticket: "Votre numéro", wait: "Attendez qu'on appelle votre numéro.",
    goTo: "Allez à", documents: "Documents à apporter", online: "Faites-le en ligne",
    resolved: "Tout est réglé. Bonne journée !",
    slots: "Jours de permanence", address: "Adresse", hours: "Horaires", phone: "Téléphone", nextSlot: "Prochain créneau",
    opinion: "Votre avis", howWasIt: "Comment avez-vous été accueilli ?",
    faces: ["Très mécontent", "Mécontent", "Satisfait", "Très satisfait"],
    repeated: "Avez-vous dû répéter votre situation ?", yes: "Oui", no: "Non", thanks: "Merci pour votre avis.",
    takeAway: "À emporter", takeAwayHint: "Scannez ce code : votre téléphone garde ces informations, même sans internet.",
    waitRange: (a, b) => `Attente estimée : ${a} à ${b} minutes`,
  },
  en: {
    demarche: "What you came for", inFrench: "in French",
    title: "Your visit to the town hall", ticket: "Your number", wait: "Please wait until your number is called.",
    goTo: "Go to", documents: "Documents to bring", online: "Do it online",
    resolved: "All done. Have a good day!",
    slots: "Opening slots", address: "Address", hours: "Opening hours", phone: "Phone", nextSlot: "Next slot",
    opinion: "Your opinion", howWasIt: "How were you welcomed?",
    faces: ["Very dissatisfied", "Dissatisfied", "Satisfied", "Very satisfied"],
    repeated: "Did you have to explain your situation again?", yes: "Yes", no: "No", thanks: "Thank you for your opinion.",
    takeAway: "Take it with you", takeAwayHint: "Scan this code: your phone keeps this information, even without internet.",
    waitRange: (a, b) => `Estimated wait: ${a} to ${b} minutes`,
  },
  ar: {
    demarche: "إجراؤك", inFrench: "بالفرنسية",
    title: "زيارتك إلى البلدية", ticket: "رقمك", wait: "يُرجى الانتظار حتى يُنادى رقمك.",
    goTo: "توجّه إلى", documents: "الوثائق المطلوب إحضارها", online: "أنجز هذا الإجراء عبر الإنترنت",
    resolved: "تمّ كل شيء. نتمنى لك يوماً سعيداً!",
    slots: "أوقات الاستقبال", address: "العنوان", hours: "أوقات العمل", phone: "الهاتف", nextSlot: "الموعد القادم",
    opinion: "رأيك", howWasIt: "كيف كان استقبالك؟",
    faces: ["غير راضٍ إطلاقاً", "غير راضٍ", "راضٍ", "راضٍ جداً"],
    repeated: "هل اضطررت إلى إعادة شرح وضعك؟", yes: "نعم", no: "لا", thanks: "شكراً على رأيك.",
    takeAway: "خذ هذه المعلومات معك", takeAwayHint: "امسح هذا الرمز: يحتفظ هاتفك بهذه المعلومات حتى دون إنترنت.",
    waitRange: (a, b) => `مدة الانتظار المتوقعة: من ${a} إلى ${b} دقيقة`,
  },
  es: {
    demarche: "Su trámite", inFrench: "en francés",
    title: "Su visita al ayuntamiento", ticket: "Su número", wait: "Espere a que llamen su número.",
    goTo: "Diríjase a", documents: "Documentos que debe traer", online: "Hágalo en línea",
    resolved: "Todo resuelto. ¡Que tenga un buen día!",
    slots: "Horarios de atención", address: "Dirección", hours: "Horario", phone: "Teléfono", nextSlot: "Próximo horario",
    opinion: "Su opinión", howWasIt: "¿Cómo le han atendido?",
    faces: ["Muy insatisfecho", "Insatisfecho", "Satisfecho", "Muy satisfecho"],
    repeated: "¿Tuvo que volver a explicar su situación?", yes: "Sí", no: "No", thanks: "Gracias por su opinión.",
    takeAway: "Lléveselo", takeAwayHint: "Escanee este código: su teléfono guarda esta información, incluso sin internet.",
    waitRange: (a, b) => `Espera estimada: de ${a} a ${b} minutos`,
  },
  "zh-Hans": {
    demarche: "您要办理的事项", inFrench: "仅有法文",
    title: "您在区政府的办理", ticket: "您的号码", wait: "请等候叫号。",
    goTo: "请前往", documents: "需要携带的材料", online: "在线办理",
    resolved: "已办妥，祝您愉快！",
    slots: "接待时间", address: "地址", hours: "开放时间", phone: "电话", nextSlot: "下一个时段",
    opinion: "您的评价", howWasIt: "您对这次接待满意吗？",
    faces: ["非常不满意", "不满意", "满意", "非常满意"],
    repeated: "您是否需要再次说明您的情况？", yes: "是", no: "否", thanks: "感谢您的评价。",
    takeAway: "随身带走", takeAwayHint: "扫描此二维码：即使没有网络，手机也能保存这些信息。",
    waitRange: (a, b) => `预计等待：${a}至${b}分钟`,
  },
};

export function visitorLanguage(tag: string | null | undefined): VisitorLanguage {
  return LANGUAGES.find((l) => l.code === tag)?.code ?? "fr";
}

/** A permanence slot (mairie local time, `YYYY-MM-DDTHH:MM:SS`) in words of `lang`. */
export function slotWords(slot: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(new Date(slot));
}

/** A catalogue text as the visitor reads it: `text` in `lang`, with the French
 * beside it (`french`) when it is a translation, or in French only (`lang` is
 * "fr") when the catalogue has none. */
export type Said = { text: string; lang: VisitorLanguage; french: string | null };

export function said(french: string, translations: Translations | null | undefined, lang: VisitorLanguage): Said {
  const text = lang === "fr" ? null : translations?.[lang];
  return text ? { text, lang, french } : { text: french, lang: "fr", french: null };
}

/** A document to bring: a vocabulary entry in `lang`, or the démarche's own text in French. */
export function documentSaid(item: DocumentItem, lang: VisitorLanguage): Said {
  if (typeof item === "string") return { text: item, lang: "fr", french: null };
  const wording = DOCUMENT_WORDINGS[item.ref];
  return lang === "fr" ? { text: wording.fr, lang, french: null } : { text: wording[lang], lang, french: wording.fr };
}

/** The French of a document to bring (what the counter agent reads). */
export function documentFrench(item: DocumentItem): string {
  return typeof item === "string" ? item : DOCUMENT_WORDINGS[item.ref].fr;
}

export function direction(lang: VisitorLanguage): "ltr" | "rtl" {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? "ltr";
}
