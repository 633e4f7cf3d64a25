//! A compact listing of the generated client's public API (types, fields, variants, methods), read from the code with `syn`.

use std::fmt::Write;

use anyhow::{Context, Result};
use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// `cargo xtask api`: the listing of the committed client, as the snapshot test pins it.
pub fn print() -> Result<()> {
    let path = crate::project_root().join(crate::codegen::GENERATED);
    let source = std::fs::read_to_string(&path).with_context(|| format!("reading {}", crate::display_path(&path)))?;
    print!("{}", listing(&source)?);
    Ok(())
}

/// One line per public item, grouped by type and sorted, so that a diff of two listings reads as
/// "what changed for users of the client".
pub fn listing(source: &str) -> Result<String> {
    let file = syn::parse_file(source).context("parsing the generated client")?;
    let mut lines = Vec::new();
    walk(&file.items, "", &mut lines);
    lines.sort();
    lines.dedup();
    let mut out = String::new();
    for line in lines {
        writeln!(out, "{line}").unwrap();
    }
    Ok(out)
}

fn walk(items: &[Item], module: &str, lines: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    walk(inner, &format!("{module}{}::", m.ident), lines);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{module}{}", s.ident);
                match &s.fields {
                    Fields::Named(fields) => {
                        lines.push(format!("struct {name}"));
                        for field in fields.named.iter().filter(|f| is_pub(&f.vis)) {
                            let ident = field.ident.as_ref().unwrap();
                            lines.push(format!("struct {name}.{ident}: {}", render(&field.ty)));
                        }
                    }
                    Fields::Unnamed(fields) => {
                        let inner: Vec<String> = fields.unnamed.iter().map(|f| render(&f.ty)).collect();
                        lines.push(format!("struct {name}({})", inner.join(", ")));
                    }
                    Fields::Unit => lines.push(format!("struct {name}")),
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{module}{}", e.ident);
                lines.push(format!("enum {name}"));
                for variant in &e.variants {
                    let fields = match &variant.fields {
                        Fields::Unit => String::new(),
                        other => render(other),
                    };
                    lines.push(format!("enum {name}::{}{fields}", variant.ident));
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let self_ty = format!("{module}{}", render_without_generics(&imp.self_ty));
                for item in &imp.items {
                    if let ImplItem::Fn(f) = item
                        && is_pub(&f.vis)
                    {
                        let asyncness = if f.sig.asyncness.is_some() { "async " } else { "" };
                        lines.push(format!("{asyncness}fn {self_ty}::{}", signature(&f.sig)));
                    }
                }
            }
            Item::Impl(imp) => {
                // The self type may be foreign (`impl From<Name> for String`), so the module is
                // named apart rather than prefixed to it.
                let (_, path, _) = imp.trait_.as_ref().unwrap();
                let place = if module.is_empty() {
                    String::new()
                } else {
                    format!(" (in {})", module.trim_end_matches("::"))
                };
                lines.push(format!("impl {} for {}{place}", render(path), render(&imp.self_ty)));
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// A method as `name(arguments) -> output`, where a generic `V: TryInto<T>` argument shows as `T`.
fn signature(sig: &syn::Signature) -> String {
    let bounds: Vec<(String, String)> = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| w.predicates.iter())
        .filter_map(|p| match p {
            syn::WherePredicate::Type(t) => {
                let bound = t.bounds.iter().find_map(|b| match b {
                    syn::TypeParamBound::Trait(tb) => Some(render(&tb.path)),
                    _ => None,
                })?;
                Some((render(&t.bounded_ty), bound))
            }
            _ => None,
        })
        .collect();
    let args: Vec<String> = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Receiver(_) => None,
            syn::FnArg::Typed(arg) => {
                let ty = render(&arg.ty);
                let shown = bounds
                    .iter()
                    .find(|(param, _)| *param == ty)
                    .map(|(_, bound)| bound.clone())
                    .unwrap_or(ty);
                Some(format!("{}: {shown}", render(&arg.pat)))
            }
        })
        .collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", render(ty)),
    };
    format!("{}({}){output}", sig.ident, args.join(", "))
}

/// `CreateDialog<'a>` as `CreateDialog`: lifetimes say nothing to a reader of the listing.
fn render_without_generics(ty: &syn::Type) -> String {
    let text = render(ty);
    match text.find('<') {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Tokens as compact text, with the absolute paths typify writes shortened to what users write.
fn render(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (long, short) in [
        (":: std :: option :: Option", "Option"),
        (":: std :: vec :: Vec", "Vec"),
        (":: std :: string :: String", "String"),
        (":: std :: collections :: BTreeMap", "BTreeMap"),
        (":: serde_json :: Map", "serde_json::Map"),
        (":: serde_json :: Value", "serde_json::Value"),
        (":: chrono :: DateTime < :: chrono :: offset :: Utc >", "DateTime<Utc>"),
        (":: std :: convert :: ", ""),
        ("std :: convert :: ", ""),
        (":: std :: str :: ", ""),
        ("super :: ", ""),
        ("crate :: ", ""),
    ] {
        text = text.replace(long, short);
    }
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(",>", ">")
        .replace(",)", ")")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::GENERATED;

    /// The public API of the committed client, so that every pull request shows what changes for
    /// its users; a progenitor upgrade shows up here as a short, reviewable diff.
    #[test]
    fn generated_client_api() {
        let source = std::fs::read_to_string(crate::project_root().join(GENERATED)).unwrap();
        insta::assert_snapshot!("generated_client_api", listing(&source).unwrap());
    }

    #[test]
    fn listing_shows_fields_variants_and_builder_arguments() {
        let source = r#"
            pub mod types {
                pub struct A { pub x: ::std::option::Option<i64>, y: i32 }
                pub enum E { One, Two(::std::string::String) }
            }
            pub struct B;
            impl B {
                pub fn set<V>(self, value: V) -> Self where V: std::convert::TryInto<i64> { self }
                fn hidden(&self) {}
            }
        "#;
        assert_eq!(
            listing(source).unwrap(),
            "enum types::E\nenum types::E::One\nenum types::E::Two(String)\nfn B::set(value: TryInto<i64>) -> Self\n\
             struct B\nstruct types::A\nstruct types::A.x: Option<i64>\n"
        );
    }
}
