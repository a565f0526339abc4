//! Messages as data: a key and its arguments, rendered in Vietnamese or English by
//! whoever shows them (a page, the command line, the publication).
//!
//! Every message the engine gives a person is a [`Message`]: one variant per sentence,
//! its arguments typed ([`Arg`]: a number is shown in the language's way, an indicator by
//! its name, a value as it was given), its two texts side by side in
//! `message/catalog.rs`. A test checks that every message has both texts and that each
//! names exactly its arguments.

use crate::text::Language;
use serde::Serialize;
use std::fmt;

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arg {
    /// Text shown as it is (a file name, a period label).
    Text(String),
    /// Something a person gave, shown in quotes (a cell's text, a label).
    Given(String),
    /// Indicator-file syntax (a key, a method, an expression), shown as code.
    Code(String),
    /// A number, shown in the language's way.
    Number(f64),
    /// A count, shown in the language's way.
    Count(u64),
    /// A size in bytes: `16 MiB`, `1,5 KiB`.
    Bytes(u64),
    /// A node or indicator by its id, shown by its name when the reader knows it.
    Node(String),
    /// A block by its id, shown by its name when the reader knows it.
    Block(String),
    /// A unit by its id.
    Unit(String),
    /// Another message, rendered in place (shared: a message is never copied).
    Message(std::sync::Arc<Message>),
    /// Several arguments, shown separated by commas.
    List(Vec<Arg>),
}

impl Arg {
    /// Text shown as it is.
    pub fn text(text: impl Into<String>) -> Arg {
        Arg::Text(text.into())
    }

    /// Something a person gave.
    pub fn given(text: impl Into<String>) -> Arg {
        Arg::Given(text.into())
    }

    /// Indicator-file syntax.
    pub fn code(text: impl Into<String>) -> Arg {
        Arg::Code(text.into())
    }

    /// A count.
    pub fn count<T: TryInto<u64>>(count: T) -> Arg {
        Arg::Count(count.try_into().unwrap_or(u64::MAX))
    }

    /// A node or indicator.
    pub fn node(id: impl Into<String>) -> Arg {
        Arg::Node(id.into())
    }

    /// A block.
    pub fn block(id: impl Into<String>) -> Arg {
        Arg::Block(id.into())
    }

    /// A unit.
    pub fn unit(id: impl Into<String>) -> Arg {
        Arg::Unit(id.into())
    }

    /// Another tool's own words (a parser's error), shown as code.
    pub fn detail(text: impl AsRef<str>) -> Arg {
        Arg::Code(text.as_ref().replace('`', "'"))
    }

    /// Another message.
    pub fn message(message: Message) -> Arg {
        Arg::Message(std::sync::Arc::new(message))
    }

    /// Several pieces of syntax (ids, keys).
    pub fn codes<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> Arg {
        Arg::List(items.into_iter().map(|item| Arg::code(item.as_ref())).collect())
    }

    /// Shortens every text in the argument to at most `max` characters (a message may
    /// quote a cell: never a whole 50 MB one).
    fn shorten(&mut self, max: usize) {
        match self {
            Arg::Text(text)
            | Arg::Given(text)
            | Arg::Code(text)
            | Arg::Node(text)
            | Arg::Block(text)
            | Arg::Unit(text) => {
                if let std::borrow::Cow::Owned(short) = crate::limits::shorten(text, max) {
                    *text = short;
                }
            }
            Arg::Message(message) => {
                if let Some(message) = std::sync::Arc::get_mut(message) {
                    message.shorten(max);
                }
            }
            Arg::List(items) => {
                items.truncate(50);
                items.iter_mut().for_each(|item| item.shorten(max));
            }
            Arg::Number(_) | Arg::Count(_) | Arg::Bytes(_) => {}
        }
    }

    fn render(&self, language: Language, names: &dyn Names, style: Style, out: &mut String) {
        let quoted = |text: &str, out: &mut String| match style {
            Style::Page => {
                out.push('“');
                out.push_str(text);
                out.push('”');
            }
            Style::Plain => {
                out.push('`');
                out.push_str(text);
                out.push('`');
            }
        };
        match self {
            Arg::Text(text) => out.push_str(text),
            Arg::Given(text) => quoted(text, out),
            Arg::Code(text) => {
                out.push('`');
                out.push_str(text);
                out.push('`');
            }
            Arg::Number(number) if number.abs() >= 1e15 && number.is_finite() => {
                out.push_str(&format!("{number:e}").replace('.', &language.decimal_separator().to_string()));
            }
            Arg::Number(number) => match style {
                Style::Page => out.push_str(&language.number(*number)),
                Style::Plain => out.push_str(&crate::text::format_number(*number)),
            },
            Arg::Count(count) => match style {
                Style::Page => out.push_str(&language.count(*count)),
                Style::Plain => out.push_str(&count.to_string()),
            },
            Arg::Bytes(bytes) => {
                let text = crate::limits::bytes_text(*bytes);
                match language {
                    Language::En => out.push_str(&text),
                    Language::Vi => out.push_str(&text.replace('.', ",").replace("bytes", "byte")),
                }
            }
            Arg::Node(id) => match names.node(id, language) {
                Some(name) => quoted(name, out),
                None => quoted(id, out),
            },
            Arg::Block(id) => match names.block(id, language) {
                Some(name) => quoted(name, out),
                None => quoted(id, out),
            },
            Arg::Unit(id) => match style {
                Style::Page => out.push_str(id),
                Style::Plain => quoted(id, out),
            },
            Arg::Message(message) => message.render_into(language, names, style, out),
            Arg::List(items) => {
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    item.render(language, names, style, out);
                }
            }
        }
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::message(message)
    }
}

/// How a message marks what it quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// For pages and people: a value given or a name in quotes (“140”, “Hỗ trợ IPv6”).
    Page,
    /// For terminals and logs: in backticks (`140`, `if-ipv6`), as the file has them.
    Plain,
}

/// Names of the things messages refer to by id: an indicator file gives them.
pub trait Names {
    /// The name of a node or indicator.
    fn node(&self, id: &str, language: Language) -> Option<&str>;
    /// The name of a block.
    fn block(&self, id: &str, language: Language) -> Option<&str>;
}

/// No names: ids are shown as they are.
pub struct NoNames;

impl Names for NoNames {
    fn node(&self, _: &str, _: Language) -> Option<&str> {
        None
    }

    fn block(&self, _: &str, _: Language) -> Option<&str> {
        None
    }
}

/// A message's two texts and the names of its arguments.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The message's key (its variant's name).
    pub key: &'static str,
    /// The English text, with `{argument}` placeholders.
    pub en: &'static str,
    /// The Vietnamese text.
    pub vi: &'static str,
    /// The arguments' names.
    pub args: &'static [&'static str],
}

impl Template {
    /// The text in a language.
    pub fn text(&self, language: Language) -> &'static str {
        match language {
            Language::Vi => self.vi,
            Language::En => self.en,
        }
    }
}

macro_rules! messages {
    ($($(#[$doc:meta])* $variant:ident { $($arg:ident),* } => $en:literal, $vi:literal;)*) => {
        /// A message: one variant per sentence, with its arguments.
        #[non_exhaustive]
        pub enum Message {
            $($(#[$doc])* #[allow(missing_docs)] $variant { $($arg: Arg),* },)*
        }

        /// The variants' positions in [`Message::CATALOG`].
        #[allow(dead_code, reason = "only the positions are used")]
        #[repr(u16)]
        enum Position {
            $($variant,)*
        }

        impl Message {
            /// Every message's texts, for the completeness test and documentation.
            pub const CATALOG: &'static [Template] =
                &[$(Template { key: stringify!($variant), en: $en, vi: $vi, args: &[$(stringify!($arg)),*] },)*];

            /// The message's texts.
            pub fn template(&self) -> &'static Template {
                let position = match self {
                    $(Message::$variant { .. } => Position::$variant,)*
                };
                &Self::CATALOG[position as usize]
            }

            /// The argument at `position` in the template's `args`.
            pub(crate) fn arg(&self, position: usize) -> Option<&Arg> {
                match self {
                    $(Message::$variant { $($arg),* } => [$($arg),*].get(position).copied(),)*
                }
            }

            pub(crate) fn arg_mut(&mut self, position: usize) -> Option<&mut Arg> {
                match self {
                    $(Message::$variant { $($arg),* } => [$($arg),*].into_iter().nth(position),)*
                }
            }
        }
    };
}

mod catalog;
pub use catalog::Message;

impl Message {
    /// The message in a language, for a page, naming things by `names`.
    pub fn render(&self, language: Language, names: &dyn Names) -> String {
        let mut out = String::new();
        self.render_into(language, names, Style::Page, &mut out);
        out
    }

    /// The message in a language and style.
    pub fn render_styled(&self, language: Language, names: &dyn Names, style: Style) -> String {
        let mut out = String::new();
        self.render_into(language, names, style, &mut out);
        out
    }

    fn render_into(&self, language: Language, names: &dyn Names, style: Style, out: &mut String) {
        let template = self.template();
        let text = template.text(language);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    let arg = template.args.iter().position(|arg| *arg == name).and_then(|position| self.arg(position));
                    match arg {
                        Some(arg) => arg.render(language, names, style, out),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
    }

    /// The message's key, stable, as it is serialised: `value-not-percent`.
    pub fn key(&self) -> String {
        kebab(self.template().key)
    }

    /// Shortens every text argument to at most `max` characters.
    pub fn shorten(&mut self, max: usize) {
        for position in 0..self.template().args.len() {
            if let Some(arg) = self.arg_mut(position) {
                arg.shorten(max);
            }
        }
    }

    /// A file over a size limit (see [`crate::limits`]).
    pub fn file_too_large(what: Message, bytes: u64, limit: u64) -> Message {
        Message::FileTooLarge { what: Arg::message(what), size: Arg::Bytes(bytes), limit: Arg::Bytes(limit) }
    }

    /// A stream (a pipe, a device) that goes on past a size limit.
    pub fn more_than(what: Message, limit: u64) -> Message {
        Message::StreamTooLarge { what: Arg::message(what), limit: Arg::Bytes(limit) }
    }

    /// `what` longer than `limit` characters, quoting its start; `None` when it is not.
    pub fn too_long(what: Message, text: &str, limit: usize) -> Option<Message> {
        crate::limits::longer_than(text, limit).then(|| {
            let start: String = text.chars().take(40).collect();
            Message::TextTooLong {
                what: Arg::message(what),
                start: Arg::given(format!("{start}...")),
                limit: Arg::count(limit),
            }
        })
    }

    /// What a refused value's message says of the value itself, without the unit and
    /// indicator it names (for a form, where the field shows both).
    pub fn value_problem(&self) -> &Message {
        match self {
            Message::ValueRefused { problem: Arg::Message(problem), .. } => problem,
            other => other,
        }
    }

    /// Whether the English text contains `words` (for tests and filters).
    pub fn contains(&self, words: &str) -> bool {
        self.to_string().contains(words)
    }
}

/// `ValueNotPercent` as `value-not-percent`.
pub fn kebab(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (index, c) in key.chars().enumerate() {
        if c.is_uppercase() {
            if index > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Two messages are equal when they say the same thing with the same arguments (a
/// derived comparison would be a function the size of the whole catalog).
impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        let template = self.template();
        template.key == other.template().key
            && (0..template.args.len()).all(|position| self.arg(position) == other.arg(position))
    }
}

/// As data for other programs (`dti validate --json`): its key, its English text and its
/// arguments by name.
impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Args<'a>(&'a Message);
        impl Serialize for Args<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let names = self.0.template().args;
                let mut map = serializer.serialize_map(Some(names.len()))?;
                for (position, name) in names.iter().enumerate() {
                    if let Some(arg) = self.0.arg(position) {
                        map.serialize_entry(name, arg)?;
                    }
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("key", &self.key())?;
        map.serialize_entry("text", &self.to_string())?;
        map.serialize_entry("args", &Args(self))?;
        map.end()
    }
}

/// The key and the English text: a message's derived `Debug` would be a function the
/// size of the whole catalog.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({self})", self.template().key)
    }
}

/// In English, ids as they are: the command line's and the logs' form.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_styled(Language::En, &NoNames, Style::Plain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `{name}` placeholders of a text.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect()
    }

    #[test]
    fn every_message_has_both_texts_each_naming_exactly_its_arguments() {
        let mut keys = BTreeSet::new();
        for template in Message::CATALOG {
            assert!(keys.insert(template.key), "{} twice", template.key);
            assert!(!template.en.trim().is_empty() && !template.vi.trim().is_empty(), "{}", template.key);
            let words = |text: &str| text.chars().filter(|c| c.is_alphabetic()).count();
            let bare: String = template.en.split(['{', '}']).step_by(2).collect();
            assert!(template.en != template.vi || words(&bare) == 0, "{} is not translated", template.key);
            let declared: BTreeSet<&str> = template.args.iter().copied().collect();
            assert_eq!(placeholders(template.en), declared, "{} (en)", template.key);
            assert_eq!(placeholders(template.vi), declared, "{} (vi)", template.key);
            for text in [template.en, template.vi] {
                assert!(!text.ends_with('.'), "{}: a message has no final full stop", template.key);
            }
        }
        assert!(Message::CATALOG.len() > 100, "{}", Message::CATALOG.len());
    }

    #[test]
    fn a_message_renders_numbers_and_names_in_the_language_asked_for() {
        struct Set;
        impl Names for Set {
            fn node(&self, id: &str, language: Language) -> Option<&str> {
                (id == "if-ipv6").then_some(if language == Language::Vi { "Hỗ trợ IPv6" } else { "IPv6 support" })
            }
            fn block(&self, _: &str, _: Language) -> Option<&str> {
                None
            }
        }
        let message = Message::ValueNotPercent { value: Arg::Number(140.5) };
        let refused = Message::ValueRefused {
            problem: Arg::message(message),
            unit: Arg::unit("B42"),
            indicator: Arg::node("if-ipv6"),
        };
        let vi = refused.render(Language::Vi, &Set);
        let en = refused.render(Language::En, &Set);
        assert!(vi.contains("140,5") && vi.contains("“Hỗ trợ IPv6”") && vi.contains("B42"), "{vi}");
        assert!(en.contains("140.5") && en.contains("“IPv6 support”"), "{en}");
        assert!(refused.to_string().contains("`if-ipv6`"), "without names, the id: {refused}");
        let json = serde_json::to_string(&refused).expect("serialises");
        assert!(
            json.contains("\"key\":\"value-refused\"") && json.contains("\"text\":\"140.5 is not a percentage"),
            "{json}"
        );
        assert!(json.contains("\"unit\":{\"unit\":\"B42\"}"), "{json}");
    }
}
