//! "Prices…": the user's own prices for the open trace's models (a
//! deployment the table cannot know, a negotiated rate), in dollars per
//! million tokens, kept in this browser (`AppState::set_price`); they
//! replace the table's estimate, never a cost the instrumentation recorded.

use leptos::prelude::*;
use spanloupe_core::genai::cost::TABLE_DATE;

use crate::state::use_app_state;

#[component]
pub fn PriceEditor(models: Vec<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    let form = move || {
        open.get().then(|| {
            let rows = models.iter().cloned().map(price_row).collect_view();
            view! {
                <div class="sl-prices__form" data-testid="prices-form">
                    <p class="sl-muted">
                        {format!("Dollars per million tokens, used instead of genai-prices of {TABLE_DATE}; kept in this browser.")}
                    </p>
                    <table class="sl-table">
                        <thead><tr><th>"Model"</th><th>"Input"</th><th>"Output"</th><th></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    };
    view! {
        <div class="sl-prices">
            <button class="sl-link" data-testid="prices-edit" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"Prices…"</button>
            {form}
        </div>
    }
}

fn price_row(model: String) -> impl IntoView {
    let state = use_app_state();
    let current = state.prices.with_untracked(|prices| prices.get(&model));
    let text = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    let input = RwSignal::new(text(current.map(|(i, _)| i)));
    let output = RwSignal::new(text(current.map(|(_, o)| o)));
    let error = RwSignal::new(None::<String>);
    let save = {
        let model = model.clone();
        move |_| {
            let read = |text: String| {
                text.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
            };
            match (read(input.get_untracked()), read(output.get_untracked())) {
                (Some(i), Some(o)) => state.set_price(&model, Some((i, o))),
                _ => error.set(Some(
                    "Both prices are numbers of dollars, 0 or more.".to_owned(),
                )),
            }
        }
    };
    let reset = {
        let model = model.clone();
        move |_| state.set_price(&model, None)
    };
    let label_in = format!("Input price of {model}, dollars per million tokens");
    let label_out = format!("Output price of {model}, dollars per million tokens");
    view! {
        <tr data-testid="price-row">
            <th scope="row" class="sl-mono">{model}</th>
            <td><input class="sl-input sl-prices__input" type="text" inputmode="decimal" placeholder="table"
                aria-label=label_in data-testid="price-input"
                prop:value=move || input.get() on:input=move |ev| input.set(event_target_value(&ev)) /></td>
            <td><input class="sl-input sl-prices__input" type="text" inputmode="decimal" placeholder="table"
                aria-label=label_out data-testid="price-output"
                prop:value=move || output.get() on:input=move |ev| output.set(event_target_value(&ev)) /></td>
            <td>
                <button class="sl-button" data-testid="price-save" on:click=save>"Use"</button>
                {current.is_some().then(|| view! {
                    <button class="sl-link" data-testid="price-reset" on:click=reset>"Table price"</button>
                })}
                {move || error.get().map(|e| view! { <span class="sl-error-text" role="alert">{e}</span> })}
            </td>
        </tr>
    }
}
