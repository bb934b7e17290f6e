//! What the front end reads of a deriving struct: its name, the tokens of its `#[ecs(...)]`
//! attributes, and its fields, each with its span.
//!
//! The derive builds an [`Input`] from syn's `DeriveInput` ([`Input::from_syn`]), over
//! proc-macro2's tokens and spans. `cargo ecsdef` builds most of its inputs from its own
//! lexer's tokens, whose spans are file positions, without building a syn tree: the front end
//! is generic over the [`Token`] it reads, and every span it records is the token's
//! [`Token::Span`]. Both ways read a struct alike; the CLI's tests hold them to the same
//! [`Input`] on every fixture.

use std::borrow::Cow;

use ecsdef_model::rules::FieldType;
use proc_macro2::{Delimiter, Span, TokenTree};
use syn::spanned::Spanned;

/// A token tree of an `#[ecs(...)]` attribute, as the front end reads it.
pub trait Token: Clone {
    /// Where a token is: [`proc_macro2::Span`] in the derive, a file position in the CLI.
    type Span: Copy;

    /// Where this token is; a group's span covers its delimiters.
    fn span(&self) -> Self::Span;

    /// What this token is.
    fn kind(&self) -> TokenKind<'_, Self>;

    /// The character of a punctuation token: what the parser asks of most tokens, without
    /// building the rest of [`Token::kind`].
    fn punct(&self) -> Option<char>;

    /// The tokens as proc-macro2 prints them, for an error message that quotes what the user
    /// wrote (a value that is not a literal).
    fn print(tokens: &[Self]) -> String;
}

/// What a [`Token`] is.
#[derive(Debug)]
pub enum TokenKind<'a, T: Clone> {
    /// An identifier or keyword, as written (`r#type` keeps its `r#`).
    Ident(Cow<'a, str>),
    /// One punctuation character.
    Punct(char),
    /// A literal, as written.
    Literal(Cow<'a, str>),
    /// A delimited group and the tokens inside it.
    Group(Delimiter, Cow<'a, [T]>),
}

impl Token for TokenTree {
    type Span = Span;

    fn span(&self) -> Span {
        TokenTree::span(self)
    }

    fn kind(&self) -> TokenKind<'_, Self> {
        match self {
            TokenTree::Ident(ident) => TokenKind::Ident(Cow::Owned(ident.to_string())),
            TokenTree::Punct(punct) => TokenKind::Punct(punct.as_char()),
            TokenTree::Literal(lit) => TokenKind::Literal(Cow::Owned(lit.to_string())),
            TokenTree::Group(group) => TokenKind::Group(
                group.delimiter(),
                Cow::Owned(group.stream().into_iter().collect()),
            ),
        }
    }

    fn punct(&self) -> Option<char> {
        match self {
            TokenTree::Punct(punct) => Some(punct.as_char()),
            _ => None,
        }
    }

    fn print(tokens: &[Self]) -> String {
        tokens
            .iter()
            .cloned()
            .collect::<proc_macro2::TokenStream>()
            .to_string()
    }
}

/// A deriving struct as the front end reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Input<T: Token> {
    /// The struct's name, as written (`r#` kept).
    pub name: String,
    /// Where the name is.
    pub name_span: T::Span,
    /// Its `#[ecs(...)]` attributes, in order.
    pub attrs: Vec<EcsAttr<T>>,
    /// What it holds.
    pub body: Body<T>,
}

/// One `#[ecs...]` attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum EcsAttr<T: Token> {
    /// `#[ecs(...)]`: the tokens inside the parentheses.
    List(Vec<T>),
    /// `#[ecs]` or `#[ecs = ...]`, which the grammar does not take: where it is.
    NotList(T::Span),
}

/// What a deriving item holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Body<T: Token> {
    /// `struct S { ... }`.
    Named(Vec<Field<T>>),
    /// `struct S;`.
    Unit,
    /// `struct S(...);`: where the fields are.
    Tuple(T::Span),
    /// An enum: where its `enum` keyword is.
    Enum(T::Span),
    /// A union: where its `union` keyword is.
    Union(T::Span),
}

/// A named field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T: Token> {
    /// Its name, as written (`r#` kept).
    pub name: String,
    /// Where its name is.
    pub name_span: T::Span,
    /// Its `#[ecs(...)]` attributes, in order.
    pub attrs: Vec<EcsAttr<T>>,
    /// Where its type is written, from its first token to its last.
    pub ty_span: T::Span,
    /// Whether its type is `Option<...>`.
    pub optional: bool,
    /// Its type (inside the `Option`) as the environment rules see it.
    pub ty: FieldType,
}

impl Input<TokenTree> {
    /// The input of a struct syn parsed: its `#[ecs...]` attributes' tokens, its fields.
    pub fn from_syn(input: &syn::DeriveInput) -> Self {
        let body = match &input.data {
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Named(fields),
                ..
            }) => Body::Named(
                fields
                    .named
                    .iter()
                    .filter_map(|field| {
                        let ident = field.ident.as_ref()?;
                        let (optional, ty) = field_type(&field.ty);
                        Some(Field {
                            name: ident.to_string(),
                            name_span: ident.span(),
                            attrs: ecs_attrs(&field.attrs),
                            ty_span: field.ty.span(),
                            optional,
                            ty,
                        })
                    })
                    .collect(),
            ),
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Unit,
                ..
            }) => Body::Unit,
            syn::Data::Struct(s) => Body::Tuple(s.fields.span()),
            syn::Data::Enum(e) => Body::Enum(e.enum_token.span),
            syn::Data::Union(u) => Body::Union(u.union_token.span),
        };
        Input {
            name: input.ident.to_string(),
            name_span: input.ident.span(),
            attrs: ecs_attrs(&input.attrs),
            body,
        }
    }
}

/// The `#[ecs...]` attributes among `attrs`, in order.
fn ecs_attrs(attrs: &[syn::Attribute]) -> Vec<EcsAttr<TokenTree>> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("ecs"))
        .map(|attr| match &attr.meta {
            syn::Meta::List(list) => EcsAttr::List(list.tokens.clone().into_iter().collect()),
            other => EcsAttr::NotList(other.span()),
        })
        .collect()
}

/// The type as the environment rules see it: `Option<T>` and the primitive `T`.
fn field_type(ty: &syn::Type) -> (bool, FieldType) {
    fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
            syn::Type::Group(g) => last_segment(&g.elem),
            syn::Type::Paren(p) => last_segment(&p.elem),
            _ => None,
        }
    }
    let Some(segment) = last_segment(ty) else {
        return (false, FieldType::Other);
    };
    if segment.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        let inner = last_segment(inner).map_or(FieldType::Other, |s| {
            if s.arguments.is_empty() {
                FieldType::from_rust_name(&s.ident.to_string())
            } else {
                FieldType::Other
            }
        });
        return (true, inner);
    }
    let ty = if segment.arguments.is_empty() {
        FieldType::from_rust_name(&segment.ident.to_string())
    } else {
        FieldType::Other
    };
    (false, ty)
}

impl<T: Token> Input<T> {
    /// The same input over other tokens: `token` converts each attribute token, `span` each
    /// span of the struct (its name, its fields' names and types, a misplaced attribute).
    pub fn map<U: Token>(
        self,
        token: &mut impl FnMut(T) -> U,
        span: &mut impl FnMut(T::Span) -> U::Span,
    ) -> Input<U> {
        Input {
            name: self.name,
            name_span: span(self.name_span),
            attrs: map_attrs(self.attrs, token, span),
            body: match self.body {
                Body::Named(fields) => Body::Named(
                    fields
                        .into_iter()
                        .map(|field| Field {
                            name: field.name,
                            name_span: span(field.name_span),
                            attrs: map_attrs(field.attrs, token, span),
                            ty_span: span(field.ty_span),
                            optional: field.optional,
                            ty: field.ty,
                        })
                        .collect(),
                ),
                Body::Unit => Body::Unit,
                Body::Tuple(at) => Body::Tuple(span(at)),
                Body::Enum(at) => Body::Enum(span(at)),
                Body::Union(at) => Body::Union(span(at)),
            },
        }
    }
}

fn map_attrs<T: Token, U: Token>(
    attrs: Vec<EcsAttr<T>>,
    token: &mut impl FnMut(T) -> U,
    span: &mut impl FnMut(T::Span) -> U::Span,
) -> Vec<EcsAttr<U>> {
    attrs
        .into_iter()
        .map(|attr| match attr {
            EcsAttr::List(tokens) => EcsAttr::List(tokens.into_iter().map(&mut *token).collect()),
            EcsAttr::NotList(at) => EcsAttr::NotList(span(at)),
        })
        .collect()
}
