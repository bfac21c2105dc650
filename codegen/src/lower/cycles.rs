//! Cycles: boxing what would make a type contain itself, and newtypes for recursive aliases.

use super::*;

impl<'a> Lowerer<'a> {
    /// Boxes struct fields and union variants that would make a type contain itself, and turns
    /// recursive aliases into newtypes (a recursive `type` alias does not compile).
    pub(super) fn break_cycles(&mut self) {
        let index: BTreeMap<RustIdent, usize> =
            self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        // Direct edges: containment without indirection. All edges: any mention.
        let mut direct: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.types.len()];
        let mut all: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.types.len()];
        for (i, def) in self.types.iter().enumerate() {
            let mut mention = |ty: &Type, is_direct: bool| {
                let mut names = Vec::new();
                named_in(ty, &mut names);
                for name in names {
                    if let Some(&j) = index.get(&name) {
                        all[i].insert(j);
                        if is_direct && matches!(ty, Type::Named(_)) {
                            direct[i].insert(j);
                        }
                    }
                }
            };
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        mention(&f.ty, true);
                    }
                    if let UnknownFields::Collect(ty) = &s.unknown_fields {
                        mention(ty, false);
                    }
                }
                TypeKind::Union(u) => {
                    for ty in u.variants.iter().filter_map(|v| v.ty.as_ref()) {
                        mention(ty, true);
                    }
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => mention(ty, true),
                TypeKind::Enum(_) => {}
            }
        }
        let reaches = |graph: &Vec<BTreeSet<usize>>, from: usize, to: usize| {
            let mut stack = vec![from];
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n) {
                    stack.extend(graph.get(n).into_iter().flatten().copied());
                }
            }
            false
        };
        let mut alias_cycles = BTreeSet::new();
        let mut boxes: Vec<(usize, usize)> = Vec::new();
        for (i, def) in self.types.iter().enumerate() {
            match &def.kind {
                TypeKind::Struct(s) => {
                    for (k, f) in s.fields.iter().enumerate() {
                        if let Type::Named(name) = &f.ty
                            && let Some(&j) = index.get(name)
                            && reaches(&direct, j, i)
                        {
                            boxes.push((i, k));
                        }
                    }
                }
                TypeKind::Union(u) => {
                    for (k, v) in u.variants.iter().enumerate() {
                        if let Some(Type::Named(name)) = &v.ty
                            && let Some(&j) = index.get(name)
                            && reaches(&direct, j, i)
                        {
                            boxes.push((i, k));
                        }
                    }
                }
                TypeKind::Alias(_) if all[i].iter().any(|&j| reaches(&all, j, i)) => {
                    alias_cycles.insert(i);
                }
                _ => {}
            }
        }
        for (i, k) in boxes {
            match self.types.get_mut(i).map(|t| &mut t.kind) {
                Some(TypeKind::Struct(s)) => {
                    if let Some(f) = s.fields.get_mut(k) {
                        f.boxed = true;
                    }
                }
                Some(TypeKind::Union(u)) => {
                    if let Some(v) = u.variants.get_mut(k) {
                        v.boxed = true;
                    }
                }
                _ => {}
            }
        }
        for i in alias_cycles {
            if let Some(def) = self.types.get_mut(i)
                && let TypeKind::Alias(ty) = &def.kind
            {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// Every named type mentioned in a type.
pub(super) fn named_in(ty: &Type, out: &mut Vec<RustIdent>) {
    match ty {
        Type::Named(name) => out.push(name.clone()),
        Type::Array(inner) | Type::Map(inner) => named_in(inner, out),
        _ => {}
    }
}
